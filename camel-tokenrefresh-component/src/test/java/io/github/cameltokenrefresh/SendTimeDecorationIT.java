package io.github.cameltokenrefresh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Camel HTTP calls: the API (the strict server's resource endpoint, which answers 401 without a valid Bearer
 * token) and two other hosts that record what they receive, one on another port of the same address, one under
 * another host name (localhost for 127.0.0.1). The token reaches the API and nothing else, decorated as the call is
 * sent or by a tokenrefresh step.
 */
class SendTimeDecorationIT extends TokenServerTestSupport {

    /** A host that answers 200 (or redirects) and records the Authorization headers it received, null for none. */
    static final class Recorder implements AutoCloseable {
        final HttpServer http;
        final List<String> authorization = new CopyOnWriteArrayList<>();

        Recorder(String redirectTo) throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", exchange -> {
                authorization.add(exchange.getRequestHeaders().getFirst("Authorization"));
                if (redirectTo != null) {
                    exchange.getResponseHeaders().add("Location", redirectTo);
                    exchange.sendResponseHeaders(302, -1);
                } else {
                    exchange.sendResponseHeaders(200, -1);
                }
                exchange.close();
            });
            http.start();
        }

        int port() {
            return http.getAddress().getPort();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    private Recorder otherPort;
    private Recorder otherName;

    @BeforeEach
    void startHosts() throws IOException {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        otherPort = new Recorder(null);
        otherName = new Recorder(null);
    }

    @AfterEach
    void stopHosts() {
        otherPort.close();
        otherName.close();
    }

    private String otherPortUrl() {
        return "http://127.0.0.1:" + otherPort.port() + "/webhook";
    }

    private String otherNameUrl() {
        return "http://localhost:" + otherName.port() + "/webhook";
    }

    /** The provider as a bean (no endpoint declares it), its account bootstrapped with rt-0, the API its apiBase. */
    private void provider(String apiBase) {
        TokenRefreshConfiguration api = new TokenRefreshConfiguration();
        api.setPreset("aweber");
        api.setTokenUrl(server.tokenUrl());
        api.setClientId("c");
        api.setClientSecret("s");
        api.setInsecureHttp(true);
        api.setStoreDirectory(storeDir.toString());
        api.setApiBase(apiBase);
        context.getRegistry().bind("api", api);
    }

    private Exchange start(RouteBuilder routes) throws Exception {
        context.addRoutes(routes);
        context.start();
        TestContexts.component(context).tokens("api").account("default").supplyRefreshToken("rt-0");
        return call();
    }

    private Exchange call() {
        return context.createProducerTemplate().request("direct:call", e -> {
        });
    }

    private void assertOtherHostsGotNoToken() {
        assertEquals(1, otherPort.authorization.size(), "the other port was called");
        assertEquals(1, otherName.authorization.size(), "the other host name was called");
        assertNull(otherPort.authorization.get(0), "another port of the API's host gets no token");
        assertNull(otherName.authorization.get(0), "another host name gets no token");
    }

    @Test
    void sendTimeTheApiGetsTheTokenWithoutAStepAndNoOtherHostDoes() throws Exception {
        context = TestContexts.context(storeDir);
        provider(server.baseUrl() + "/api");
        Exchange result = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(server.resourceUrl()).to(otherPortUrl()).to(otherNameUrl());
            }
        });
        assertNull(result.getException());
        assertEquals(1, server.resourceCalls());
        assertEquals(0, server.unauthorizedResourceCalls(), "the API received a valid Bearer token");
        assertFalse(result.getMessage().getHeaders().containsKey("Authorization"), "the message never carries it");
        assertOtherHostsGotNoToken();
    }

    @Test
    void explicitStepTheHeaderReachesTheApiAndIsTakenOffCallsElsewhere() throws Exception {
        context = TestContexts.context(storeDir);
        provider(server.baseUrl() + "/api");
        Exchange result = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("tokenrefresh:api").to(server.resourceUrl()).to(otherPortUrl())
                        .to(otherNameUrl());
            }
        });
        assertNull(result.getException());
        assertEquals(0, server.unauthorizedResourceCalls());
        assertEquals(server.baseUrl() + "/api", result.getMessage().getHeader(TokenRefreshConstants.API_BASE));
        assertEquals(server.baseUrl() + "/api", result.getProperty(TokenRefreshConstants.API_BASE_PROPERTY));
        assertOtherHostsGotNoToken();
    }

    @Test
    void processorDecoratesLikeTheStep() throws Exception {
        context = TestContexts.context(storeDir);
        provider(server.baseUrl() + "/api");
        Exchange result = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").process(new TokenRefreshProcessor("api"))
                        .setHeader(Exchange.HTTP_URI, simple("${header.CamelTokenRefreshApiBase}/resource"))
                        .to(otherPortUrl()).removeHeader(Exchange.HTTP_URI).to(otherNameUrl());
            }
        });
        assertNull(result.getException());
        assertEquals(1, server.resourceCalls(), "CamelHttpUri sent the call to the API, not the endpoint's host");
        assertEquals(0, server.unauthorizedResourceCalls());
        assertTrue(otherPort.authorization.isEmpty(), "the endpoint URI's host was not called");
        assertEquals(1, otherName.authorization.size());
        assertNull(otherName.authorization.get(0));
    }

    @Test
    void aCamelHttpUriHeaderPointingElsewhereGetsNoToken() throws Exception {
        context = TestContexts.context(storeDir);
        provider(server.baseUrl() + "/api");
        Exchange result = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").setHeader(Exchange.HTTP_URI, constant(otherNameUrl())).to(server.resourceUrl());
            }
        });
        assertNull(result.getException());
        assertEquals(0, server.resourceCalls());
        assertEquals(1, otherName.authorization.size());
        assertNull(otherName.authorization.get(0), "the URL sent decides, not the endpoint URI");
    }

    @Test
    void aRedirectFromTheApiToAnotherHostDoesNotCarryTheToken() throws Exception {
        try (Recorder redirecting = new Recorder(otherNameUrl())) {
            context = TestContexts.context(storeDir);
            String apiBase = "http://127.0.0.1:" + redirecting.port() + "/api";
            provider(apiBase);
            Exchange result = start(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to(apiBase + "/moved?followRedirects=true");
                }
            });
            assertNull(result.getException());
            assertEquals(1, redirecting.authorization.size());
            assertTrue(redirecting.authorization.get(0).startsWith("Bearer "), "the API host got the token");
            assertEquals(1, otherName.authorization.size(), "Camel HTTP followed the redirect");
            assertNull(otherName.authorization.get(0), "the redirect target got no token");
        }
    }

    @Test
    void sendTime401RefreshesOnceAndRedeliversThatCall() throws Exception {
        context = TestContexts.context(storeDir);
        context.addRoutes(new TokenRefreshRouteConfiguration());
        provider(server.baseUrl() + "/api");
        Exchange first = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(server.resourceUrl()).to(otherPortUrl());
            }
        });
        assertNull(first.getException());
        server.revokeAccessToken(server.issuedAccessTokens().get(0));

        Exchange second = call();
        assertNull(second.getException());
        assertEquals(2, server.tokenCalls(), "one refresh after the 401");
        assertEquals(3, server.resourceCalls(), "first call, the 401, the redelivery");
        assertEquals(1, server.unauthorizedResourceCalls());
        assertEquals(List.of(), otherPort.authorization.stream().filter(a -> a != null).toList());
    }

    @Test
    void withoutAnApiBaseTheStepWarnsThatTheTokenFollowsTheMessage() throws Exception {
        context = TestContexts.context(storeDir);
        provider(null);
        String log;
        try (LogCapture capture = new LogCapture()) {
            context.getRegistry().lookupByNameAndType("api", TokenRefreshConfiguration.class).setPreset(
                    "oauth2");
            Exchange result = start(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to("tokenrefresh:api").to(server.resourceUrl()).to(otherNameUrl());
                }
            });
            assertNull(result.getException());
            log = capture.text();
        }
        assertTrue(log.contains("tokenrefresh:api has no apiBase"), log);
        assertTrue(otherName.authorization.get(0).startsWith("Bearer "), "as the WARN says: it follows the message");
    }
}
