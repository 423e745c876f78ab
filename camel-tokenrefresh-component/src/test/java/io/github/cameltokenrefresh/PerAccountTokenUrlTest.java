package io.github.cameltokenrefresh;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.token.AccountAttributeMissingException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token URL per account, without a socket, against the Microsoft identity platform's rules as its "refresh the
 * access token" page states them: the tenant is a path segment of https://login.microsoftonline.com/{tenant}/oauth2/
 * v2.0/token, and the refresh request must carry scope (else 400 invalid_request, AADSTS90014).
 */
class PerAccountTokenUrlTest {

    private static final Pattern TENANT = Pattern.compile("https://login\\.microsoftonline\\.com/([^/]+)/oauth2/v2\\.0/token");
    private final AtomicInteger issued = new AtomicInteger();
    private final DefaultCamelContext context = new DefaultCamelContext();
    private Map<String, RecordingTokenEndpoint> endpoints;

    @AfterEach
    void stop() {
        context.stop();
    }

    private String microsoft(RecordingTokenEndpoint.Call call) {
        Matcher m = TENANT.matcher(call.url().toString());
        if (!m.matches()) {
            return RecordingTokenEndpoint.status(404, "{}");
        }
        Map<String, String> form = RecordingTokenEndpoint.form(call);
        if (!form.containsKey("scope")) {
            return RecordingTokenEndpoint.status(400, "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS90014:"
                                                      + " The request body must contain the following parameter: 'scope'.\"}");
        }
        if (!"refresh_token".equals(form.get("grant_type")) || form.get("refresh_token") == null) {
            return RecordingTokenEndpoint.status(400, "{\"error\":\"invalid_request\"}");
        }
        int n = issued.incrementAndGet();
        return "{\"token_type\":\"Bearer\",\"scope\":\"" + form.get("scope") + "\",\"expires_in\":3599,"
               + "\"access_token\":\"at-" + m.group(1) + "-" + n + "\",\"refresh_token\":\"rt-" + m.group(1) + "-" + n + "\"}";
    }

    private void start(String tokenUrl) throws Exception {
        endpoints = RecordingTokenEndpoint.install(context, this::microsoft);
        context.getRegistry().bind("memory", new MemoryTokenStore());
        TestContexts.addRoute(context, "direct:refresh", "tokenrefresh:entra?operation=refresh&tokenUrl=" + tokenUrl
                                                         + "&clientId=c&clientSecret=s&clientAuthentication=post"
                                                         + "&param.scope=RAW(https://graph.microsoft.com/.default offline_access)"
                                                         + "&store=#memory");
        context.start();
    }

    private Exchange refresh(String account, Map<String, String> attributes) {
        return context.createProducerTemplate().request("direct:refresh", e -> {
            e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, account);
            e.getMessage().setHeader(TokenRefreshConstants.REFRESH_TOKEN, "rt-seed-" + account);
            if (attributes != null) {
                e.getMessage().setHeader(TokenRefreshConstants.ATTRIBUTES, attributes);
            }
        });
    }

    @Test
    void twoAccountsOfOneProviderRefreshAtTheirOwnTenantsAndScopeTravelsWithTheRefresh() throws Exception {
        start("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token");

        Exchange contoso = refresh("contoso", Map.of("tenant", "contoso.onmicrosoft.com"));
        Exchange fabrikam = refresh("fabrikam", Map.of("tenant", "72f988bf-86f1-41af-91ab-2d7cd011db47"));

        assertEquals("Bearer at-contoso.onmicrosoft.com-1", contoso.getMessage().getHeader("Authorization"));
        assertEquals("Bearer at-72f988bf-86f1-41af-91ab-2d7cd011db47-2", fabrikam.getMessage().getHeader("Authorization"));
        // the next refresh of an account goes to its tenant again, from the stored attribute
        Exchange again = refresh("contoso", null);
        assertEquals("Bearer at-contoso.onmicrosoft.com-3", again.getMessage().getHeader("Authorization"));
        assertEquals("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
                     endpoints.get("entra").calls().get(2).url().toString());
    }

    @Test
    void anAccountWithoutItsTenantFailsNamingProviderAccountAndAttributeAndSendsNothing() throws Exception {
        start("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token");

        Exchange lost = refresh("nowhere", null);

        AccountAttributeMissingException e = assertInstanceOf(AccountAttributeMissingException.class,
                                                              lost.getException());
        assertEquals("tenant", e.getAttribute());
        assertTrue(e.getMessage().contains("tokenrefresh:entra account 'nowhere'") && e.getMessage().contains("'tenant'"),
                   e.getMessage());
        assertEquals(0, endpoints.get("entra").calls().size());
    }

    @Test
    void aValueThatWouldChangeTheUrlsShapeIsRefused() throws Exception {
        start("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token");

        Exchange evil = refresh("evil", Map.of("tenant", "x/../../attacker.example/"));

        assertInstanceOf(AccountAttributeMissingException.class, evil.getException());
        assertEquals(0, endpoints.get("entra").calls().size());
    }
}
