package io.github.cameltokenrefresh.internal.account;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import org.junit.jupiter.api.Test;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.invalidGrant;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An account's log lines carry the category of the class that wrote them (docs/architecture.md), never a made-up one. */
class LoggerCategoriesTest {

    private static final Pattern LINE = Pattern.compile("^\\w+ (io\\.github\\.cameltokenrefresh\\.\\S+) - (.*)$",
                                                        Pattern.MULTILINE);

    private final AccountFixture f = new AccountFixture();

    @Test
    void eachLineIsLoggedUnderTheClassThatWroteIt() {
        String text;
        try (LogCapture log = new LogCapture()) {
            f.storeRefreshToken("rt-0");
            f.client.then(ok("at-1", "rt-1", 3600), invalidGrant());
            f.cache().token();
            f.cache().invalidate();
            f.at(LIFETIME);
            assertThrows(InvalidGrantException.class, () -> f.cache().token());
            text = log.text();
        }

        assertLogged(text, AccountRefresh.class, "token refreshed");
        assertLogged(text, AccountTokenCache.class, "access token invalidated");
        assertLogged(text, RefreshFailure.class, "invalid_grant");
        List<String> categories = new ArrayList<>();
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            categories.add(m.group(1));
        }
        assertTrue(categories.size() >= 3, text);
        for (String category : categories) {
            assertDoesNotThrow(() -> Class.forName(category), category + " names no class:\n" + text);
        }
    }

    private static void assertLogged(String text, Class<?> category, String message) {
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(category.getName()) && m.group(2).contains(message)) {
                return;
            }
        }
        throw new AssertionError("no line '" + message + "' under " + category.getName() + ":\n" + text);
    }
}
