package io.github.cameltokenrefresh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After {@code invalid_grant} the account is dead: however many exchanges keep arriving, from however many threads and
 * through whichever operation, the token endpoint sees no further call, and every exchange fails at once with an
 * {@link InvalidGrantException} that says to re-authorize. Nor does the component log once per exchange.
 */
class InvalidGrantStormIT {

    private static final String PROVIDER = "storm";
    private static final String CLIENT_ID = "storm-client";
    private static final String CLIENT_SECRET = "CLIENT-SECRET-st0rm-4e";
    private static final String BOOTSTRAP = "RT-BOOTSTRAP-st0rm-1a";
    private static final int THREADS = 16;
    private static final int EXCHANGES_PER_THREAD = 400;

    /** Every way an exchange can ask for a token; all must fail fast once the account is dead. */
    private static final List<String> OPERATIONS = List.of("decorate", "token", "refreshIfExpiring", "refresh");

    @TempDir
    Path storeDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private StrictTokenServer server;
    private DefaultCamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials(CLIENT_ID, CLIENT_SECRET)
                .addRefreshToken(BOOTSTRAP).rotateRefreshTokens(true).expiresIn(3600L).clock(clock);
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        TokenRefreshConfiguration config = new TokenRefreshConfiguration();
        config.setTokenUrl(server.tokenUrl());
        config.setInsecureHttp(true);
        config.setStoreDirectory(storeDir.toString());
        config.setClientId(CLIENT_ID);
        config.setClientSecret(CLIENT_SECRET);
        config.setRefreshToken(BOOTSTRAP);
        context.getRegistry().bind(PROVIDER, config);
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        server.close();
    }

    /** Straight to the producer (no route, no error handler): the exchange carries the exception. */
    private Exchange send(String operation) {
        return template.request("tokenrefresh:" + PROVIDER + "?operation=" + operation, e -> {
        });
    }

    private AccountStatus status() {
        return TestContexts.component(context).provider(PROVIDER).account("default").status();
    }

    @Test
    void aDeadRefreshTokenStopsAllTokenCallsAndEveryExchangeFailsFastSayingReauthorize() throws Exception {
        Exchange first = send("refresh");
        assertNull(first.getException());
        String valid = first.getMessage().getHeader("Authorization", String.class);
        Instant expiresAt = first.getMessage().getHeader(TokenRefreshConstants.EXPIRES_AT, Instant.class);
        Path record = storeDir.resolve(PROVIDER).resolve("default.json");
        byte[] recordBefore = Files.readAllBytes(record);

        // the refresh token is revoked at the provider (the user withdrew consent, or it aged out)
        server.revokeRefreshToken(server.currentRefreshToken());
        server.responseDelay(Duration.ofMillis(300)); // so the storm below overlaps the one failing call
        clock.advance(Duration.between(clock.instant(), expiresAt.minusSeconds(20))); // inside the expiry margin

        // 200 callers at once: one token call; the access token still works, so decorate callers keep getting it
        List<Exchange> burst = concurrently(200, i -> send("decorate"));
        assertEquals(2, server.tokenCalls(), "one token call for 200 concurrent callers");
        for (Exchange e : burst) {
            assertNull(e.getException(), "the token has not truly expired: it is served although the account is dead");
            assertEquals(valid, e.getMessage().getHeader("Authorization", String.class));
        }
        assertEquals(TokenState.DEAD, status().state());
        server.responseDelay(Duration.ZERO);

        // until it truly expires the access token is served; the refresh operation fails at once
        for (int i = 0; i < 100; i++) {
            assertEquals(valid, send("decorate").getMessage().getHeader("Authorization", String.class));
            assertInstanceOf(InvalidGrantException.class, send("refresh").getException());
        }
        clock.advance(Duration.ofSeconds(21)); // truly expired

        // the storm: thousands of exchanges from many threads, every operation, while days and weeks go by
        AtomicInteger invalidGrant = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger withoutHint = new AtomicInteger();
        long[] latencies = new long[THREADS * EXCHANGES_PER_THREAD];
        AtomicLong clockSteps = new AtomicLong();
        Map<String, Exception> unexpected = new ConcurrentHashMap<>();
        long stormStart = System.nanoTime();
        String logText;
        try (LogCapture capture = new LogCapture()) {
            concurrently(THREADS, t -> {
                for (int i = 0; i < EXCHANGES_PER_THREAD; i++) {
                    if (t == 0 && i % 50 == 0) {
                        clock.advance(Duration.ofDays(1)); // time passing does not revive a dead refresh token
                        clockSteps.incrementAndGet();
                    }
                    String operation = OPERATIONS.get((t + i) % OPERATIONS.size());
                    long s = System.nanoTime();
                    Exchange e = send(operation);
                    latencies[t * EXCHANGES_PER_THREAD + i] = System.nanoTime() - s;
                    if (e.getException() instanceof InvalidGrantException g) {
                        invalidGrant.incrementAndGet();
                        if (!g.getMessage().contains("re-authorize this account")) {
                            withoutHint.incrementAndGet();
                        }
                    } else {
                        other.incrementAndGet();
                        unexpected.putIfAbsent(operation, e.getException() == null
                                ? new IllegalStateException("no exception") : e.getException());
                    }
                }
                return null;
            });
            logText = capture.text();
        }
        long stormMillis = (System.nanoTime() - stormStart) / 1_000_000;

        int total = THREADS * EXCHANGES_PER_THREAD;
        assertEquals(Map.of(), unexpected);
        assertEquals(total, invalidGrant.get());
        assertEquals(0, withoutHint.get(), "every message says to re-authorize");
        assertEquals(2, server.tokenCalls(), "zero token calls during the storm of " + total + " exchanges");
        assertEquals(TokenState.DEAD, status().state());
        assertArrayEquals(recordBefore, Files.readAllBytes(record), "the store is left alone");

        Arrays.sort(latencies);
        long p50 = latencies[total / 2] / 1000;
        long p99 = latencies[total * 99 / 100] / 1000;
        long max = latencies[total - 1] / 1000;
        System.out.printf("invalid_grant storm: %d exchanges, %d threads, %d ms, p50 %d us, p99 %d us, max %d us%n",
                          total, THREADS, stormMillis, p50, p99, max);
        assertTrue(p99 < 500_000 && max < 5_000_000, "every exchange failed fast: p99 " + p99 + " us, max " + max + " us");
        assertTrue(stormMillis < 30_000, "storm took " + stormMillis + " ms");

        // nothing per exchange in the logs: a dead account is reported once, not once per caller
        long componentLines = logText.lines().filter(l -> l.contains("io.github.cameltokenrefresh")).count();
        assertTrue(componentLines < 20, componentLines + " component log lines for " + total + " exchanges");
        for (String secret : List.of(CLIENT_SECRET, BOOTSTRAP, valid.substring("Bearer ".length()))) {
            assertFalse(logText.contains(secret), "a secret reached the log");
        }

        // the way out still works: a new refresh token after re-authorization
        String reauthorized = server.issueRefreshToken();
        Exchange revived = template.request("tokenrefresh:" + PROVIDER + "?operation=refresh",
                e -> e.getMessage().setHeader(TokenRefreshConstants.REFRESH_TOKEN, reauthorized));
        assertNull(revived.getException());
        assertEquals(3, server.tokenCalls());
        assertEquals(TokenState.FRESH, status().state());
        assertEquals(server.currentRefreshToken(),
                     new FileTokenStore(storeDir).load(PROVIDER, "default").token().getRefreshToken());
    }

    @Test
    void callersArrivingWhileTheRefusedCallIsInFlightAllGetTheSameAnswerFromOneCall() throws Exception {
        assertNull(send("refresh").getException());
        server.revokeRefreshToken(server.currentRefreshToken());
        server.responseDelay(Duration.ofMillis(500));
        clock.advance(Duration.ofHours(2)); // expired: nobody has a token to fall back on

        List<Exchange> burst = concurrently(300, i -> send(OPERATIONS.get(i % OPERATIONS.size())));
        for (Exchange e : burst) {
            InvalidGrantException g = assertInstanceOf(InvalidGrantException.class, e.getException());
            assertTrue(g.getMessage().contains("re-authorize"), g.getMessage());
        }
        assertEquals(2, server.tokenCalls(), "one token call for 300 concurrent callers, and none after");
        server.responseDelay(Duration.ZERO);
        for (int i = 0; i < 1000; i++) {
            assertInstanceOf(InvalidGrantException.class, send(OPERATIONS.get(i % OPERATIONS.size())).getException());
        }
        assertEquals(2, server.tokenCalls());
    }

    private interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs n tasks released at the same instant; returns their results in index order. */
    private static <T> List<T> concurrently(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.run(index);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return Collections.unmodifiableList(results);
        } finally {
            pool.shutdownNow();
        }
    }
}
