package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.util.Properties;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's YAML DSL route, verbatim in {@code partner-route.yaml}: options as {@code parameters}, the fixed
 * partnerId header as {@code header.partnerId}, values from property placeholders; the next step calls the API.
 */
class YamlDslRouteIT {

    @TempDir
    Path storeDir;

    private StrictTokenServer server;
    private DefaultCamelContext context;

    @BeforeEach
    void setUp() {
        server = StrictTokenServer.start(Dialect.PARTNER).partnerId(4711).addRefreshToken("rt-0");
        // TestContexts sets insecureHttp on the component: the README's YAML stays as it would be for https
        context = TestContexts.context(storeDir);
        Properties properties = new Properties();
        properties.setProperty("partner.token-url", server.tokenUrl());
        properties.setProperty("partner.id", "4711");
        properties.setProperty("partner.api-url", server.resourceUrl());
        context.getPropertiesComponent().setInitialProperties(properties);
        // the secret stays out of the route, as the README says: Camel logs endpoint URIs at TRACE
        TestContexts.component(context).getConfiguration().setRefreshToken("rt-0");
    }

    @AfterEach
    void tearDown() {
        context.stop();
        server.close();
    }

    private Exchange call(String uri) {
        Exchange result = context.createProducerTemplate().request(uri, e -> {
        });
        if (result.getException() != null) {
            throw new AssertionError("call failed", result.getException());
        }
        return result;
    }

    private void assertAcceptedWithFirstToken(Exchange result) {
        assertEquals(200, result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertEquals("Bearer " + server.issuedAccessTokens().get(0),
                     result.getMessage().getHeader("Authorization", String.class));
    }

    private void assertPartnerWireFormat() {
        StrictTokenServer.RecordedRequest token = server.tokenRequests().get(0);
        assertEquals("4711", token.header("partnerId"));
        assertEquals("refresh_token", token.header("grantType"));
        assertEquals("{\"refreshToken\":\"rt-0\"}", token.body());
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
    }

    @Test
    void readmeYamlRouteDecoratesAndCallsTheApi() throws Exception {
        Resource resource = PluginHelper.getResourceLoader(context)
                .resolveResource("classpath:io/github/cameltokenrefresh/partner-route.yaml");
        assertTrue(resource.exists(), "partner-route.yaml on the test classpath");
        PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        context.start();
        assertNotNull(context.getRoute("call-partner-api"));

        Exchange first = call("direct:call");
        Exchange second = call("direct:call");

        assertAcceptedWithFirstToken(first);
        assertAcceptedWithFirstToken(second);
        assertEquals(1, server.tokenCalls());
        assertEquals(2, server.resourceCalls());
        assertEquals(0, server.unauthorizedResourceCalls());
        assertPartnerWireFormat();
    }

    @Test
    void yamlRoutesNamingTheProviderShareItsToken() throws Exception {
        String yaml = """
                - route:
                    from:
                      uri: direct:orders
                      steps:
                        - to: tokenrefresh:partner
                        - to: "{{partner.api-url}}"
                - route:
                    from:
                      uri: direct:call
                      steps:
                        - to:
                            uri: tokenrefresh:partner
                            parameters:
                              tokenUrl: "{{partner.token-url}}"
                              encoding: json
                              refreshTokenField: refreshToken
                              grantTypeLocation: header
                              grantTypeField: grantType
                              clientAuthentication: none
                              header.partnerId: "{{partner.id}}"
                        - to: "{{partner.api-url}}"
                """;
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
        context.start();

        Exchange orders = call("direct:orders");
        Exchange direct = call("direct:call");

        assertAcceptedWithFirstToken(orders);
        assertAcceptedWithFirstToken(direct);
        assertEquals(1, server.tokenCalls());
        assertEquals(2, server.resourceCalls());
        assertPartnerWireFormat();
    }
}
