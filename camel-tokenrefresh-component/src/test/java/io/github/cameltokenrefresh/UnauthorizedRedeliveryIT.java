package io.github.cameltokenrefresh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.TokenRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Camel HTTP calls to a resource server that answers 401 for revoked tokens, with the 401 route configuration. */
class UnauthorizedRedeliveryIT extends TokenServerTestSupport {

    private HttpServer alwaysUnauthorized;
    private ExecutorService pool;

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (alwaysUnauthorized != null) {
            alwaysUnauthorized.stop(0);
        }
    }

    private String provider() {
        return "tokenrefresh:aweber?preset=aweber&tokenUrl=" + server.tokenUrl() + "&clientId=c&clientSecret=s&refreshToken=rt-0";
    }

    private ProducerTemplate start(RouteBuilder routes) throws Exception {
        context = TestContexts.context(storeDir);
        context.addRoutes(new TokenRefreshRouteConfiguration());
        context.addRoutes(routes);
        context.start();
        return context.createProducerTemplate();
    }

    private static Exchange call(ProducerTemplate template) {
        return template.request("direct:call", e -> {
        });
    }

    @Test
    void aTokenRevokedMidRunIsRefreshedOnceAndTheCallRedelivered() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        ProducerTemplate template = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(provider()).to(server.resourceUrl());
            }
        });
        assertNull(call(template).getException());
        server.revokeAccessToken(server.issuedAccessTokens().get(0));

        Exchange result = call(template);
        assertNull(result.getException());
        assertEquals(200, result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals(2, server.tokenCalls(), "one refresh after the 401");
        assertEquals(3, server.resourceCalls(), "first call, the 401, the redelivery");
        assertEquals(1, server.unauthorizedResourceCalls());
    }

    @Test
    void fiveHundredConcurrent401sWithOneStaleTokenMakeOneTokenCall() throws Exception {
        int callers = 500;
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        CountDownLatch allDecorated = new CountDownLatch(callers);
        AtomicInteger gate = new AtomicInteger();
        ProducerTemplate template = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(provider())
                        .process(e -> {
                            // hold every caller until all carry the same (stale) token, so all of them get the 401
                            if (e.getProperty("gated") == null && gate.get() > 0) {
                                e.setProperty("gated", true);
                                allDecorated.countDown();
                                allDecorated.await(60, TimeUnit.SECONDS);
                            }
                        })
                        // 500 exchanges share 50 connections: the JDK server in the test drops connections under
                        // 500 at once, which would test the server rather than the component
                        .to(server.resourceUrl() + "?connectionsPerRoute=50&maxTotalConnections=50");
            }
        });
        assertNull(call(template).getException());
        String stale = server.issuedAccessTokens().get(0);
        server.revokeAccessToken(stale);
        gate.set(1);

        pool = Executors.newFixedThreadPool(callers);
        List<Future<Exchange>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            futures.add(pool.submit(() -> call(template)));
        }
        for (Future<Exchange> f : futures) {
            Exchange e = f.get(120, TimeUnit.SECONDS);
            if (e.getException() != null) {
                throw new AssertionError("a caller failed", e.getException());
            }
            assertEquals(200, e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        }
        assertEquals(2, server.tokenCalls(), "exactly one refresh for all " + callers + " 401s");
        assertEquals(callers, server.unauthorizedResourceCalls());
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
    }

    @Test
    void aSecond401AfterTheRefreshFailsTheExchangeWithoutLooping() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        AtomicInteger apiCalls = new AtomicInteger();
        alwaysUnauthorized = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        alwaysUnauthorized.createContext("/api", exchange -> {
            apiCalls.incrementAndGet();
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        alwaysUnauthorized.start();
        String api = "http://127.0.0.1:" + alwaysUnauthorized.getAddress().getPort() + "/api";
        ProducerTemplate template = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(provider()).to(api);
            }
        });

        Exchange result = call(template);
        TokenRejectedException rejected = assertInstanceOf(TokenRejectedException.class, result.getException());
        assertEquals(401, rejected.getStatusCode());
        assertInstanceOf(HttpOperationFailedException.class, rejected.getCause());
        assertEquals(2, apiCalls.get(), "the call and exactly one redelivery");
        assertEquals(2, server.tokenCalls(), "the first token and exactly one refresh");
    }

    @Test
    void aDeadRefreshTokenDuringRenewalFailsTheExchangeWithInvalidGrant() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        ProducerTemplate template = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(provider()).to(server.resourceUrl());
            }
        });
        assertNull(call(template).getException());
        server.revokeAccessToken(server.issuedAccessTokens().get(0));
        server.revokeRefreshToken(server.currentRefreshToken());

        Exchange result = call(template);
        assertInstanceOf(io.github.cameltokenrefresh.token.InvalidGrantException.class, result.getException());
        assertEquals(2, server.tokenCalls());
        assertEquals(2, server.resourceCalls(), "no redelivery without a new token");
    }

    @Test
    void routesThatReadTheStatusThemselvesUseRefreshIfUnauthorized() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        ProducerTemplate template = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call")
                        .to(provider())
                        .to(server.resourceUrl() + "?throwExceptionOnFailure=false")
                        .to("tokenrefresh:aweber?operation=refreshIfUnauthorized")
                        .choice().when(header(TokenRefreshConstants.RENEWED))
                            .to(server.resourceUrl() + "?throwExceptionOnFailure=false")
                        .end();
            }
        });
        assertEquals(false, call(template).getMessage().getHeader(TokenRefreshConstants.RENEWED));
        server.revokeAccessToken(server.issuedAccessTokens().get(0));

        Exchange result = call(template);
        assertEquals(true, result.getMessage().getHeader(TokenRefreshConstants.RENEWED));
        assertEquals(200, result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals(2, server.tokenCalls());
    }
}
