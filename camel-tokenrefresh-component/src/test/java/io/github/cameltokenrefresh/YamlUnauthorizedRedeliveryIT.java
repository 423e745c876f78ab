package io.github.cameltokenrefresh;

import java.util.Properties;

import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * YAML routes for each documented dialect, guarded by the YAML route configuration shipped in the jar
 * (classpath:tokenrefresh/unauthorized-route-configuration.yaml): a token revoked mid-run costs one refresh and one
 * redelivery, and the exchange succeeds.
 */
class YamlUnauthorizedRedeliveryIT extends TokenServerTestSupport {

    private void run(String providerParameters) throws Exception {
        context = TestContexts.context(storeDir);
        Properties properties = new Properties();
        properties.setProperty("token-url", server.tokenUrl());
        properties.setProperty("api-url", server.resourceUrl());
        context.getPropertiesComponent().setInitialProperties(properties);
        PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                .resolveResource("classpath:tokenrefresh/unauthorized-route-configuration.yaml"));
        String yaml = """
                - route:
                    routeConfigurationId: tokenrefresh-unauthorized
                    from:
                      uri: direct:call
                      steps:
                        - to:
                            uri: tokenrefresh:api
                            parameters:
                              tokenUrl: "{{token-url}}"
                %s
                        - to: "{{api-url}}"
                """.formatted(providerParameters.indent(14).stripTrailing());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
        context.start();

        Exchange first = context.createProducerTemplate().request("direct:call", e -> {
        });
        assertNull(first.getException());
        server.revokeAccessToken(server.issuedAccessTokens().get(0));

        Exchange second;
        String log;
        try (LogCapture capture = new LogCapture()) {
            second = context.createProducerTemplate().request("direct:call", e -> {
            });
            log = capture.text();
        }
        // the operator's trace of the recovery: one INFO line naming provider and account, and no token
        assertTrue(log.contains("INFO io.github.cameltokenrefresh.route.TokenDecoration - tokenrefresh:api account "
                                + "'default': the API answered 401; the message now carries a renewed access token"), log);
        // (the API call itself is logged with its Bearer header by HttpClient at DEBUG, which LogCapture turns on)
        String ours = log.lines().filter(l -> l.contains(" io.github.cameltokenrefresh.")).reduce("", String::concat);
        for (String token : server.issuedAccessTokens()) {
            assertFalse(ours.contains(token), "an access token in tokenrefresh's log");
        }
        assertNull(second.getException(), () -> "redelivery failed: " + second.getException());
        assertEquals(200, second.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("Bearer " + server.issuedAccessTokens().get(1), second.getMessage().getHeader("Authorization"));
        assertEquals(2, server.tokenCalls());
        assertEquals(1, server.unauthorizedResourceCalls());
        assertEquals(3, server.resourceCalls());
        assertEquals(java.util.List.of(), server.rejections());
    }

    /** Starts a route naming the 401 route configuration, with or without loading it; returns what was logged. */
    private String startGuardedRoute(boolean loadConfiguration) throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        if (loadConfiguration) {
            PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                    .resolveResource("classpath:tokenrefresh/unauthorized-route-configuration.yaml"));
        }
        String yaml = """
                - route:
                    id: guarded
                    routeConfigurationId: tokenrefresh-unauthorized
                    from:
                      uri: direct:call
                      steps:
                        - to: "tokenrefresh:api?tokenUrl=%s&clientId=c&clientSecret=s&refreshToken=rt-0"
                """.formatted(server.tokenUrl());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
        try (LogCapture capture = new LogCapture()) {
            context.start();
            return capture.text();
        }
    }

    @Test
    void aRouteNamingTheConfigurationThatIsNotLoadedIsReportedAtStart() throws Exception {
        String log = startGuardedRoute(false);

        assertTrue(log.contains("WARN io.github.cameltokenrefresh.route.UnauthorizedHandlingCheck - Routes [guarded]"
                                + " name routeConfigurationId 'tokenrefresh-unauthorized', but no route configuration"
                                + " of that id is loaded"), log);
        assertTrue(log.contains("classpath:tokenrefresh/unauthorized-route-configuration.yaml"), log);
    }

    @Test
    void aRouteNamingTheLoadedConfigurationIsNotReported() throws Exception {
        String log = startGuardedRoute(true);

        assertTrue(context.isStarted());
        assertFalse(log.contains("UnauthorizedHandlingCheck"), log);
    }

    @Test
    void newsletter2go() throws Exception {
        server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey("a2V5OnNlY3JldA==").addRefreshToken("rt-0");
        run("""
                preset: newsletter2go
                authKey: "a2V5OnNlY3JldA=="
                refreshToken: rt-0""");
    }

    @Test
    void aweber() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("aw-id", "aw-secret").addRefreshToken("rt-0");
        run("""
                preset: aweber
                clientId: aw-id
                clientSecret: aw-secret
                refreshToken: rt-0""");
    }

    @Test
    void partnerApi() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).partnerId(42).addRefreshToken("rt-0");
        run("""
                encoding: json
                refreshTokenField: refreshToken
                grantTypeLocation: header
                grantTypeField: grantType
                clientAuthentication: none
                header.partnerId: 42
                refreshToken: rt-0""");
    }
}
