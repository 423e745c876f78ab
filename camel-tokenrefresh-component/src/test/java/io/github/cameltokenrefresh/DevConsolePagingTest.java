package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.token.ProviderTokens;
import org.apache.camel.console.DevConsole;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dev console shows a provider's accounts a page at a time, so many accounts answer with a page, not all. */
class DevConsolePagingTest {

    private static final int ACCOUNTS = 1_200;

    @TempDir
    Path storeDir;

    private DefaultCamelContext context;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    private DevConsole console() throws Exception {
        context = TestContexts.started(storeDir, "tokenrefresh:p?tokenUrl=https://auth.example.com/token&clientId=c"
                                                 + "&clientSecret=RAW(CLIENT-SECRET-9)");
        ProviderTokens tokens = TestContexts.component(context).tokens("p");
        for (int i = 0; i < ACCOUNTS; i++) {
            tokens.account(String.format("acct-%05d", i));
        }
        return PluginHelper.getDevConsoleResolver(context).resolveDevConsole("tokenrefresh");
    }

    @Test
    void theTextViewShowsTheFirstHundredAndSaysHowToGetTheNext() throws Exception {
        String text = (String) console().call(DevConsole.MediaType.TEXT);
        assertTrue(text.matches("(?s).*Accounts: 1-100 of 120[01]; next page: option offset=100\n.*"),
                   text.lines().limit(8).toList()::toString); // and the endpoint's own account, if it was made
        assertTrue(text.contains("Account: acct-00000\n") && text.contains("Account: acct-00099\n"));
        assertFalse(text.contains("Account: acct-00100"), "the 101st account is on the next page");
    }

    @Test
    void theJsonViewPagesAndFilters() throws Exception {
        DevConsole console = console();
        JsonObject page = (JsonObject) console.call(DevConsole.MediaType.JSON, Map.of("offset", "1100", "limit", "50"));
        JsonObject provider = provider(page);
        assertTrue(provider.getInteger("accountsTotal") >= ACCOUNTS, provider::toString);
        List<?> accounts = (List<?>) provider.get("accounts");
        assertEquals(50, accounts.size());
        assertEquals("acct-01100", ((JsonObject) accounts.get(0)).getString("account"));

        JsonObject one = provider((JsonObject) console.call(DevConsole.MediaType.JSON, Map.of("account", "acct-00123")));
        assertEquals(1, one.getInteger("accountsMatching"));
        JsonObject dead = provider((JsonObject) console.call(DevConsole.MediaType.JSON, Map.of("state", "dead")));
        assertEquals(0, dead.getInteger("accountsMatching"));
        JsonObject capped = provider((JsonObject) console.call(DevConsole.MediaType.JSON, Map.of("limit", "100000")));
        assertEquals(1000, ((List<?>) capped.get("accounts")).size(), "a page is capped at 1000");
    }

    private static JsonObject provider(JsonObject root) {
        return (JsonObject) ((List<?>) root.get("providers")).get(0);
    }
}
