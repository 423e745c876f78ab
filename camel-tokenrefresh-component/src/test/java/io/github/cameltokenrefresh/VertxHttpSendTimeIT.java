package io.github.cameltokenrefresh;

import java.io.IOException;

import io.github.cameltokenrefresh.SendTimeDecorationIT.Recorder;
import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same guarantees on vertx-http: the API (the strict resource server) gets the token, another port of its host and
 * another host name do not, decorated as the call is sent or by a step; a 401 costs one refresh and one redelivery.
 */
class VertxHttpSendTimeIT extends TokenServerTestSupport {

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

    private Exchange start(RouteBuilder routes) throws Exception {
        return start(routes, server.baseUrl() + "/api");
    }

    private Exchange start(RouteBuilder routes, String apiBase) throws Exception {
        context = TestContexts.context(storeDir);
        TokenRefreshConfiguration api = new TokenRefreshConfiguration();
        api.setPreset("aweber");
        api.setTokenUrl(server.tokenUrl());
        api.setClientId("c");
        api.setClientSecret("s");
        api.setInsecureHttp(true);
        api.setStoreDirectory(storeDir.toString());
        api.setRefreshToken("rt-0");
        api.setApiBase(apiBase);
        context.getRegistry().bind("api", api);
        context.addRoutes(new TokenRefreshRouteConfiguration());
        context.addRoutes(routes);
        context.start();
        return call();
    }

    private Exchange call() {
        return context.createProducerTemplate().request("direct:call", e -> {
        });
    }

    private RouteBuilder route(boolean step) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                (step ? from("direct:call").to("tokenrefresh:api") : from("direct:call"))
                        .to("vertx-http:" + server.resourceUrl())
                        .to("vertx-http:http://127.0.0.1:" + otherPort.port() + "/webhook")
                        .to("vertx-http:http://localhost:" + otherName.port() + "/webhook");
            }
        };
    }

    private void assertOnlyTheApiGotTheToken(Exchange result) {
        assertNull(result.getException(), () -> "failed: " + result.getException());
        assertEquals(0, server.unauthorizedResourceCalls(), "the API received a valid Bearer token");
        assertEquals(1, otherPort.authorization.size());
        assertEquals(1, otherName.authorization.size());
        assertNull(otherPort.authorization.get(0), "another port of the API's host gets no token");
        assertNull(otherName.authorization.get(0), "another host name gets no token");
    }

    @Test
    void sendTime() throws Exception {
        assertOnlyTheApiGotTheToken(start(route(false)));
    }

    @Test
    void explicitStep() throws Exception {
        Exchange result = start(route(true));
        assertOnlyTheApiGotTheToken(result);
        assertTrue(result.getMessage().getHeader("Authorization", String.class).startsWith("Bearer "));
    }

    @Test
    void aRedirectFromTheApiToAnotherHostDoesNotCarryTheToken() throws Exception {
        try (Recorder redirecting = new Recorder("http://localhost:" + otherName.port() + "/landing")) {
            String apiBase = "http://127.0.0.1:" + redirecting.port() + "/api";
            Exchange result = start(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to("vertx-http:" + apiBase + "/moved");
                }
            }, apiBase);
            // Vert.x would copy the token to the redirect's host (it did, before this): a decorated call does not
            // follow redirects, the 302 comes back to the route
            HttpOperationFailedException failure = assertInstanceOf(HttpOperationFailedException.class,
                                                                    result.getException());
            assertEquals(302, failure.getStatusCode());
            assertEquals(1, redirecting.authorization.size());
            assertTrue(redirecting.authorization.get(0).startsWith("Bearer "), "the API host got the token");
            assertTrue(otherName.authorization.isEmpty(), "the redirect's host got nothing");
        }
    }

    @Test
    void sendTime401RefreshesOnceAndRedeliversThatCall() throws Exception {
        assertNull(start(route(false)).getException());
        server.revokeAccessToken(server.issuedAccessTokens().get(0));
        Exchange second = call();
        assertNull(second.getException(), () -> "redelivery failed: " + second.getException());
        assertEquals(2, server.tokenCalls(), "one refresh after the 401");
        assertEquals(3, server.resourceCalls(), "first call, the 401, the redelivery");
        assertEquals(1, server.unauthorizedResourceCalls());
    }
}
