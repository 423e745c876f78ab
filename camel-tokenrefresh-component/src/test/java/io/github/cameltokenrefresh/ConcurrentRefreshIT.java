package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many callers at the moment of expiry share one refresh, even with a rotating refresh token. */
class ConcurrentRefreshIT extends TokenServerTestSupport {

    private static final int CALLERS = 200;

    private final MutableClock clock = new MutableClock(Instant.now());
    private ExecutorService pool;

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private ProducerTemplate start() throws Exception {
        // rotation on: a second token call with the same refresh token would get invalid_grant
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0")
                .rotateRefreshTokens(true).responseDelay(Duration.ofMillis(200));
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:aweber?preset=aweber&tokenUrl=" + server.tokenUrl()
                                                      + "&clientId=c&clientSecret=s&refreshToken=rt-0");
        context.start();
        return context.createProducerTemplate();
    }

    private List<String> callConcurrently(ProducerTemplate template) throws Exception {
        pool = Executors.newFixedThreadPool(CALLERS);
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Exchange>> futures = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return template.request("direct:call", e -> {
                });
            }));
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS));
        go.countDown();
        List<String> headers = new ArrayList<>();
        for (Future<Exchange> f : futures) {
            Exchange exchange = f.get(60, TimeUnit.SECONDS);
            if (exchange.getException() != null) {
                throw new AssertionError("a caller failed", exchange.getException());
            }
            headers.add(exchange.getMessage().getHeader("Authorization", String.class));
        }
        return headers;
    }

    @Test
    void callersAtTheMomentOfExpiryShareOneTokenCall() throws Exception {
        ProducerTemplate template = start();
        template.request("direct:call", e -> {
        });
        assertEquals(1, server.tokenCalls());

        clock.advance(Duration.ofHours(2)); // the token has expired for everyone at once
        List<String> headers = callConcurrently(template);

        assertEquals(2, server.tokenCalls(), "one token call for all " + CALLERS + " callers");
        String expected = "Bearer " + server.issuedAccessTokens().get(1);
        headers.forEach(h -> assertEquals(expected, h));
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
    }

    @Test
    void callersWithNoTokenYetShareOneTokenCall() throws Exception {
        ProducerTemplate template = start();
        List<String> headers = callConcurrently(template);

        assertEquals(1, server.tokenCalls());
        headers.forEach(h -> assertEquals("Bearer " + server.issuedAccessTokens().get(0), h));
    }
}
