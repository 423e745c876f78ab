package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provider configured purely through Camel Main properties, as in application.properties: component options
 * ({@code camel.component.tokenrefresh.*}) or a provider bean ({@code camel.beans.<provider>}); routes in the Java DSL.
 */
class CamelMainConfigurationIT {

    @TempDir
    Path storeDir;

    private StrictTokenServer server;
    private Main main;

    @BeforeEach
    void startServer() {
        server = StrictTokenServer.start(Dialect.PARTNER).partnerId(4711).addRefreshToken("rt-0");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (main != null) {
            main.stop();
        }
        server.close();
    }

    /** A Main with the given properties and two routes naming provider "partner" without options. */
    private Main main(Map<String, String> properties) {
        Main m = new Main();
        properties.forEach(m::addInitialProperty);
        m.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("tokenrefresh:partner").to(server.resourceUrl());
                from("direct:other").to("tokenrefresh:partner").to(server.resourceUrl());
            }
        });
        return m;
    }

    private Exchange call(String uri) {
        Exchange result = main.getCamelContext().createProducerTemplate().request(uri, e -> {
        });
        if (result.getException() != null) {
            throw new AssertionError("call failed", result.getException());
        }
        return result;
    }

    /** Both routes reach the resource server with the one token the provider obtained. */
    private void assertDecoratedCallsReachTheResourceServer() {
        Exchange first = call("direct:call");
        Exchange second = call("direct:other");

        for (Exchange result : new Exchange[] { first, second }) {
            assertEquals(200, result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
            assertEquals("Bearer " + server.issuedAccessTokens().get(0),
                         result.getMessage().getHeader("Authorization", String.class));
        }
        assertEquals(1, server.tokenCalls());
        assertEquals(2, server.resourceCalls());
        assertEquals(0, server.unauthorizedResourceCalls());
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
        StrictTokenServer.RecordedRequest token = server.tokenRequests().get(0);
        assertEquals("4711", token.header("partnerId"), "the map option reached the token call");
        assertEquals("refresh_token", token.header("grantType"));
        assertEquals("{\"refreshToken\":\"rt-0\"}", token.body());
        assertNotNull(new FileTokenStore(storeDir).load("partner", "default"), "saved in the configured directory");
    }

    private Map<String, String> componentProperties(String headersKey) {
        String p = "camel.component.tokenrefresh.";
        Map<String, String> props = new LinkedHashMap<>();
        props.put(p + "token-url", server.tokenUrl());
        props.put(p + "insecure-http", "true");
        props.put(p + "store-directory", storeDir.toString());
        props.put(p + "encoding", "json");
        props.put(p + "refresh-token-field", "refreshToken");
        props.put(p + "grant-type-location", "header");
        props.put(p + "grant-type-field", "grantType");
        props.put(p + "client-authentication", "none");
        props.put(p + headersKey, "4711");
        props.put(p + "refresh-token", "rt-0");
        props.put(p + "backoff-initial-delay", "2s");
        return props;
    }

    @ParameterizedTest(name = "camel.component.tokenrefresh.{0}=4711")
    @ValueSource(strings = { "headers[partnerId]", "headers.partnerId" })
    void componentPropertiesConfigureTheProvider(String headersKey) throws Exception {
        main = main(componentProperties(headersKey));
        main.start();

        TokenRefreshConfiguration defaults
                = main.getCamelContext().getComponent("tokenrefresh", TokenRefreshComponent.class).getConfiguration();
        assertEquals(Map.of("partnerId", "4711"), defaults.getHeaders(), "the map key keeps its case");
        assertEquals(ClientAuthentication.none, defaults.getClientAuthentication());
        assertEquals(2000, defaults.getBackoffInitialDelay(), "durations accept 2s");
        assertDecoratedCallsReachTheResourceServer();
    }

    @Test
    void theUriPrefixHeaderDotIsNotAPropertyAndFailsAtStartup() {
        // header.partnerId works in an endpoint URI (and in YAML parameters), not as a Main property
        main = main(componentProperties("header.partnerId"));

        Exception e = assertThrows(Exception.class, () -> main.start());
        boolean named = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            named |= t.getMessage() != null && t.getMessage().contains("header.partnerId");
        }
        assertTrue(named, () -> "the failure names the property: " + e);
        assertEquals(0, server.tokenCalls());
    }

    @Test
    void providerBeanFromMainProperties() throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("camel.beans.partner", "#class:io.github.cameltokenrefresh.TokenRefreshConfiguration");
        props.put("camel.beans.partner.tokenUrl", server.tokenUrl());
        props.put("camel.beans.partner.insecureHttp", "true");
        props.put("camel.beans.partner.storeDirectory", storeDir.toString());
        props.put("camel.beans.partner.encoding", "json");
        props.put("camel.beans.partner.refreshTokenField", "refreshToken");
        props.put("camel.beans.partner.grantTypeLocation", "header");
        props.put("camel.beans.partner.grantTypeField", "grantType");
        props.put("camel.beans.partner.clientAuthentication", "none");
        props.put("camel.beans.partner.headers[partnerId]", "4711");
        props.put("camel.beans.partner.refreshToken", "rt-0");
        props.put("camel.beans.partner.backoffInitialDelay", "2s");
        main = main(props);
        main.start();

        TokenRefreshConfiguration bean = main.lookup("partner", TokenRefreshConfiguration.class);
        assertNotNull(bean, "camel.beans.partner is bound under the provider name");
        assertSame(bean, main.getCamelContext().getRegistry().lookupByName("partner"));
        assertEquals(BodyEncoding.json, bean.getEncoding());
        assertEquals(GrantTypeLocation.header, bean.getGrantTypeLocation());
        assertEquals(Map.of("partnerId", "4711"), bean.getHeaders());
        assertEquals(2000, bean.getBackoffInitialDelay());
        // nothing was configured on the component: the bean alone defines the provider
        TokenRefreshConfiguration defaults
                = main.getCamelContext().getComponent("tokenrefresh", TokenRefreshComponent.class).getConfiguration();
        assertNull(defaults.getTokenUrl());
        assertFalse(defaults.isInsecureHttp());
        assertDecoratedCallsReachTheResourceServer();
    }

    @Test
    void providerBeanWithKebabCaseProperties() throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("camel.beans.partner", "#class:io.github.cameltokenrefresh.TokenRefreshConfiguration");
        props.put("camel.beans.partner.token-url", server.tokenUrl());
        props.put("camel.beans.partner.insecure-http", "true");
        props.put("camel.beans.partner.store-directory", storeDir.toString());
        props.put("camel.beans.partner.encoding", "json");
        props.put("camel.beans.partner.refresh-token-field", "refreshToken");
        props.put("camel.beans.partner.grant-type-location", "header");
        props.put("camel.beans.partner.grant-type-field", "grantType");
        props.put("camel.beans.partner.client-authentication", "none");
        props.put("camel.beans.partner.headers.partnerId", "4711");
        props.put("camel.beans.partner.refresh-token", "rt-0");
        main = main(props);
        main.start();

        assertInstanceOf(TokenRefreshConfiguration.class, main.lookup("partner"));
        assertDecoratedCallsReachTheResourceServer();
    }
}
