package io.github.cameltokenrefresh;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cameltokenrefresh.store.MemoryTokenStore;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Onboarding through a catalog preset, without a socket: the link is the vendor's, with the parameters that obtain a
 * refresh token and the account's own host; the callback's parameters the preset names become account attributes.
 */
class CatalogOnboardingTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private final DefaultCamelContext context = new DefaultCamelContext();
    private Map<String, RecordingTokenEndpoint> endpoints;

    @AfterEach
    void stop() {
        context.stop();
    }

    private void start(String preset) throws Exception {
        endpoints = RecordingTokenEndpoint.install(context, call -> "{\"access_token\":\"at-1\",\"refresh_token\":\"rt-1\","
                                                                    + "\"expires_in\":3600,\"token_type\":\"bearer\"}");
        context.getRegistry().bind("memory", new MemoryTokenStore());
        String provider = "tokenrefresh:p?preset=" + preset + "&clientId=c&clientSecret=s&store=#memory"
                          + "&redirectUri=https://app.example.com/cb&stateSecret=" + KEY;
        TestContexts.addRoute(context, "direct:link", provider + "&operation=authorizationUrl");
        TestContexts.addRoute(context, "direct:callback", provider + "&operation=authorizationCallback");
        context.start();
    }

    private String link(String account, Map<String, String> attributes) {
        Exchange exchange = context.createProducerTemplate().request("direct:link", e -> {
            e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, account);
            if (attributes != null) {
                e.getMessage().setHeader(TokenRefreshConstants.ATTRIBUTES, attributes);
            }
        });
        return exchange.getMessage().getBody(String.class);
    }

    private static Map<String, String> query(String link) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : URI.create(link).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    @Test
    void googlesLinkAsksForOfflineAccessAndConsent() throws Exception {
        start("google");

        String link = link("alice", null);

        assertTrue(link.startsWith("https://accounts.google.com/o/oauth2/v2/auth?"), link);
        assertEquals("offline", query(link).get("access_type"));
        assertEquals("consent", query(link).get("prompt"));
    }

    @Test
    void microsoftsLinkGoesToTheAccountsTenant() throws Exception {
        start("microsoft");

        String link = link("contoso", Map.of("tenant", "contoso.onmicrosoft.com"));

        assertTrue(link.startsWith("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?"),
                   link);
        assertTrue(query(link).get("scope").contains("offline_access"), link);
    }

    @Test
    void quickbooksCallbackKeepsTheRealmIdAsAnAttribute() throws Exception {
        start("quickbooks");
        String state = query(link("acme", null)).get("state");

        Exchange callback = context.createProducerTemplate().request("direct:callback", e -> {
            e.getMessage().setHeader("code", "AB11-code");
            e.getMessage().setHeader("state", state);
            e.getMessage().setHeader("realmId", "9130349876543210");
        });

        assertEquals(200, callback.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals(Map.of("realmId", "9130349876543210"),
                     TestContexts.component(context).tokens("p").account("acme").attributes());
        assertEquals(URI.create("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"),
                     endpoints.get("p").calls().get(0).url());
    }
}
