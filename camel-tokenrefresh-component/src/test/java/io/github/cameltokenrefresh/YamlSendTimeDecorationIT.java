package io.github.cameltokenrefresh;

import java.util.Properties;

import io.github.cameltokenrefresh.SendTimeDecorationIT.Recorder;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * YAML routes (provider and processor as beans, the 401 route configuration shipped in the jar): the API gets the
 * token, another host name does not; a token revoked mid-run costs one refresh and one redelivery of that call.
 */
class YamlSendTimeDecorationIT extends TokenServerTestSupport {

    private Recorder otherName;

    @BeforeEach
    void startHosts() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        otherName = new Recorder(null);
    }

    @AfterEach
    void stopHosts() {
        otherName.close();
    }

    private Exchange run(String steps) throws Exception {
        context = TestContexts.context(storeDir);
        Properties properties = new Properties();
        properties.setProperty("token-url", server.tokenUrl());
        properties.setProperty("api-base", server.baseUrl() + "/api");
        properties.setProperty("api-url", server.resourceUrl());
        properties.setProperty("other-url", "http://localhost:" + otherName.port() + "/webhook");
        properties.setProperty("store", storeDir.toString());
        context.getPropertiesComponent().setInitialProperties(properties);
        PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                .resolveResource("classpath:tokenrefresh/unauthorized-route-configuration.yaml"));
        String yaml = """
                - beans:
                    - name: api
                      type: io.github.cameltokenrefresh.TokenRefreshConfiguration
                      properties:
                        preset: aweber
                        tokenUrl: "{{token-url}}"
                        apiBase: "{{api-base}}"
                        insecureHttp: true
                        clientId: c
                        clientSecret: s
                        storeDirectory: "{{store}}"
                    - name: apiToken
                      type: io.github.cameltokenrefresh.TokenRefreshProcessor
                      properties:
                        provider: api
                - route:
                    routeConfigurationId: tokenrefresh-unauthorized
                    from:
                      uri: direct:call
                      steps:
                %s
                """.formatted(steps.indent(8).stripTrailing());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
        context.start();
        TestContexts.component(context).tokens("api").account("default").supplyRefreshToken("rt-0");
        return call();
    }

    private Exchange call() {
        return context.createProducerTemplate().request("direct:call", e -> {
        });
    }

    @Test
    void sendTimeNoStepTheApiGetsTheTokenAndA401IsRecovered() throws Exception {
        Exchange first = run("""
                - to: "{{api-url}}"
                - to: "{{other-url}}"
                """);
        assertNull(first.getException());
        assertEquals(0, server.unauthorizedResourceCalls());
        server.revokeAccessToken(server.issuedAccessTokens().get(0));

        Exchange second;
        String log;
        try (LogCapture capture = new LogCapture()) {
            second = call();
            log = capture.text();
        }
        assertNull(second.getException(), () -> "redelivery failed: " + second.getException());
        assertEquals(2, server.tokenCalls(), "one refresh after the 401");
        assertEquals(3, server.resourceCalls(), "first call, the 401, the redelivery");
        assertEquals(1, server.unauthorizedResourceCalls());
        assertTrue(log.contains("tokenrefresh:api account 'default': the API answered 401 to a call decorated as it"
                                + " was sent"), log);
        assertEquals(2, otherName.authorization.size());
        assertTrue(otherName.authorization.stream().allMatch(a -> a == null), "the other host never got a token");
        assertFalse(second.getMessage().getHeaders().containsKey("Authorization"));
    }

    @Test
    void processorBeanDecoratesAndTheTokenStaysOffAnotherHost() throws Exception {
        Exchange result = run("""
                - process:
                    ref: apiToken
                - to: "{{api-url}}"
                - to: "{{other-url}}"
                """);
        assertNull(result.getException());
        assertEquals(0, server.unauthorizedResourceCalls());
        assertTrue(result.getMessage().getHeader("Authorization", String.class).startsWith("Bearer "),
                   "the step's header stays on the message");
        assertEquals(1, otherName.authorization.size());
        assertNull(otherName.authorization.get(0), "but is taken off the call to another host");
    }
}
