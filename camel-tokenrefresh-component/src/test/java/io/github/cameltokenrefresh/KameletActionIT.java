package io.github.cameltokenrefresh;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import org.apache.camel.Exchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The action Kamelet the jar ships ({@code kamelets/tokenrefresh-action.kamelet.yaml}), used the ways Camel K users use
 * it: {@code kamelet:tokenrefresh-action?provider=...} in a YAML route, the kamelet EIP, and a Pipe. The provider is
 * configured outside the Kamelet (a bean, or component options) and the calls go to the StrictTokenServer's API,
 * which accepts only tokens it issued.
 */
class KameletActionIT extends TokenServerTestSupport {

    private static final String KAMELET = "kamelets/tokenrefresh-action.kamelet.yaml";

    /** A context whose properties point at the server; the provider "partner" is a bean, secrets on the bean only. */
    private void partnerContext() {
        server = StrictTokenServer.start(Dialect.PARTNER).partnerId(42).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        Properties properties = new Properties();
        properties.setProperty("api-url", server.resourceUrl());
        context.getPropertiesComponent().setInitialProperties(properties);
        context.getRegistry().bind("partner", TestContexts.partnerBean(server, storeDir, "42"));
    }

    private void load(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
    }

    private Exchange call(String uri) {
        return context.createProducerTemplate().request(uri, e -> {
        });
    }

    @Test
    void theKameletUriDecoratesTheCallOfTheNextStep() throws Exception {
        partnerContext();
        load("""
                - route:
                    from:
                      uri: direct:call
                      steps:
                        - to: kamelet:tokenrefresh-action?provider=partner
                        - to: "{{api-url}}"
                """);
        context.start();

        for (int i = 0; i < 3; i++) {
            Exchange result = call("direct:call");
            assertNull(result.getException(), () -> "call failed: " + result.getException());
            assertEquals(200, result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
            assertEquals("Bearer " + server.issuedAccessTokens().get(0), result.getMessage().getHeader("Authorization"));
        }
        assertEquals(1, server.tokenCalls(), "one token, shared by the calls");
        assertEquals(3, server.resourceCalls());
        assertEquals(0, server.unauthorizedResourceCalls());
        assertEquals(List.of(), server.rejections());
    }

    @Test
    void theKameletEipWithAccountHeaderNameAndPrefix() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-7");
        context = TestContexts.context(storeDir);
        // this time the provider comes from component options, the other documented way
        TokenRefreshConfiguration defaults = TestContexts.component(context).getConfiguration();
        defaults.setPreset("aweber");
        defaults.setTokenUrl(server.tokenUrl());
        defaults.setClientId("c");
        defaults.setClientSecret("s");
        defaults.setRefreshToken("rt-7");
        load("""
                - route:
                    from:
                      uri: direct:call
                      steps:
                        - kamelet:
                            name: tokenrefresh-action
                            parameters:
                              provider: aweber
                              account: customer-7
                              headerName: X-Api-Token
                              headerPrefix: Token
                """);
        context.start();

        Exchange result = call("direct:call");
        assertNull(result.getException(), () -> "call failed: " + result.getException());
        assertEquals("Token " + server.issuedAccessTokens().get(0), result.getMessage().getHeader("X-Api-Token"));
        assertNull(result.getMessage().getHeader("Authorization"));
        AccountStatus status = TestContexts.component(context).provider("aweber").status("customer-7");
        assertNotNull(status, "the Kamelet's account was used");
        assertEquals(1, status.refreshes());
        assertNull(TestContexts.component(context).provider("aweber").status("default"));
    }

    @Test
    void aTokenRevokedBehindTheKameletIsRenewedByThe401RouteConfiguration() throws Exception {
        partnerContext();
        PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                .resolveResource("classpath:tokenrefresh/unauthorized-route-configuration.yaml"));
        load("""
                - route:
                    routeConfigurationId: tokenrefresh-unauthorized
                    from:
                      uri: direct:call
                      steps:
                        - to: kamelet:tokenrefresh-action?provider=partner
                        - to: "{{api-url}}"
                """);
        context.start();

        assertNull(call("direct:call").getException());
        server.revokeAccessToken(server.issuedAccessTokens().get(0));

        Exchange result = call("direct:call");
        assertNull(result.getException(), () -> "redelivery failed: " + result.getException());
        assertEquals(200, result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals(2, server.tokenCalls(), "one refresh after the 401");
        assertEquals(1, server.unauthorizedResourceCalls());
        assertEquals(3, server.resourceCalls(), "first call, the 401, the redelivery");
        assertEquals(List.of(), server.rejections());
    }

    /** The Pipe of docs/camel-k.md, with a timer source and the API as the sink, loaded as Camel K would run it. */
    @Test
    void aPipeWithTheKameletAsAStep() throws Exception {
        partnerContext();
        load("""
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: partner-orders
                spec:
                  source:
                    uri: timer:orders?repeatCount=2&period=100
                  steps:
                    - ref:
                        kind: Kamelet
                        apiVersion: camel.apache.org/v1
                        name: tokenrefresh-action
                      properties:
                        provider: partner
                  sink:
                    uri: "{{api-url}}"
                """);
        context.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> server.resourceCalls() == 2);
        assertEquals(0, server.unauthorizedResourceCalls(), "both calls carried a valid token");
        assertEquals(1, server.tokenCalls());
        assertEquals(List.of(), server.rejections());
    }

    @Test
    void theKameletIsAnActionWhoseOnlyRequiredPropertyIsTheProvider() throws Exception {
        Map<String, Object> kamelet;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(KAMELET)) {
            assertNotNull(in, KAMELET + " on the classpath, where camel-kamelet looks (classpath:kamelets)");
            @SuppressWarnings("unchecked")
            Map<String, Object> loaded = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            kamelet = loaded;
        }
        assertEquals("Kamelet", kamelet.get("kind"));
        Map<String, Object> metadata = map(kamelet, "metadata");
        assertEquals("tokenrefresh-action", metadata.get("name"));
        assertEquals("action", map(metadata, "labels").get("camel.apache.org/kamelet.type"));

        Map<String, Object> spec = map(kamelet, "spec");
        Map<String, Object> definition = map(spec, "definition");
        assertEquals(List.of("provider"), definition.get("required"));
        Map<String, Object> properties = map(definition, "properties");
        assertEquals(Set.of("provider", "account", "headerName", "headerPrefix"), properties.keySet());
        assertEquals("default", map(properties, "account").get("default"));
        assertEquals("Authorization", map(properties, "headerName").get("default"));
        assertEquals("Bearer", map(properties, "headerPrefix").get("default"));

        // Camel K adds the dependencies to the integration: ours with the version the build filtered in
        @SuppressWarnings("unchecked")
        List<String> dependencies = (List<String>) spec.get("dependencies");
        String ours = dependencies.stream().filter(d -> d.startsWith("mvn:io.github.cameltokenrefresh:camel-tokenrefresh:"))
                .findFirst().orElseThrow(() -> new AssertionError("no dependency on camel-tokenrefresh: " + dependencies));
        assertFalse(ours.contains("${"), () -> "version not filtered: " + ours);
        assertTrue(ours.matches("mvn:io\\.github\\.cameltokenrefresh:camel-tokenrefresh:\\d+\\.\\d+\\.\\d+.*"), ours);
        assertFalse(map(metadata, "annotations").get("camel.apache.org/catalog.version").toString().contains("${"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, key);
        return (Map<String, Object>) value;
    }
}
