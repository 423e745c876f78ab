package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Storms, with real clocks and real HTTP on loopback:
 * <ol>
 * <li>1,000 concurrent callers at the moment of expiry: token calls per event (target 1), tokenrefresh and, for
 * comparison, Camel HTTP's oauth2 token cache;</li>
 * <li>1,000 concurrent 401s carrying one stale token, with TokenRefreshRouteConfiguration: token calls per event
 * (target 1);</li>
 * <li>caller latency inside the refresh-ahead window vs steady state, with a token endpoint that takes 500 ms
 * (target: no caller waits for the network).</li>
 * </ol>
 */
final class Storms {

    static final int CALLERS = Integer.getInteger("bench.storm.callers", 1000);
    static final int EVENTS = Integer.getInteger("bench.storm.events", 3);
    /** Every storm's HTTP endpoint gets a pool this large, so the callers really are concurrent on the wire. */
    static final String POOL = "connectionsPerRoute=" + (CALLERS + 50) + "&maxTotalConnections=" + (CALLERS + 50);

    private Storms() {
    }

    static void run() throws Exception {
        expiryStorm();
        camelOAuth2ExpiryStorm();
        unauthorizedStorm();
        refreshAheadLatency();
    }

    // ------------------------------------------------------------------------------------------ 1,000 at expiry

    /** Token lifetime 2 s; each event waits until the token has truly expired, then releases all callers at once. */
    static void expiryStorm() throws Exception {
        System.out.println();
        System.out.printf("== 3a. expiry storm, tokenrefresh: %d concurrent callers at the moment of expiry, %d events"
                          + " (token lifetime 2 s, token endpoint 500 ms, rotating refresh tokens)%n", CALLERS, EVENTS);
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-storm").expiresIn(2L).responseDelay(Duration.ofMillis(500));
        LoopbackApi api = new LoopbackApi("cc-client", "cc-secret", 3600, tokens::isAccessTokenValid, 64);
        Path storeDir = Fixtures.tempDir("bench-storm");
        DefaultCamelContext context = Fixtures.context(storeDir);
        try {
            String provider = Fixtures.provider("storm", tokens, "rt-storm", null);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to(provider).to(api.resourceUrl() + "?" + POOL);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            Endpoint call = context.getEndpoint("direct:call");
            check(template.send(call, e -> {
            }));
            AccountTokens source = source(context, "storm");
            for (int event = 1; event <= EVENTS; event++) {
                AccountStatus before = source.status();
                sleepUntil(before.expiresAt().plusMillis(20)); // truly expired, not just inside the margin
                TokenState state = source.status().state();
                int callsBefore = tokens.tokenCalls();
                Storm storm = storm(template, call, CALLERS, null);
                int calls = tokens.tokenCalls() - callsBefore;
                Instant published = source.status().lastRefreshAt();
                System.out.printf("event %d: state at release %s -> token calls %d (target 1), callers that arrived before"
                                  + " the new token was published (and so shared that one call): %d, failed callers %d,"
                                  + " distinct tokens sent %d, caller latency %s%n", event, state, calls,
                                  storm.arrivedBefore(published), storm.failed, storm.distinctTokens.size(),
                                  storm.latencies.summaryMs());
            }
            System.out.printf("rejections at the token endpoint (invalid_grant etc.): %d%n", tokens.rejections().size());
        } finally {
            Fixtures.stopQuietly(context, api, tokens);
            Fixtures.deleteTree(storeDir);
        }
    }

    /**
     * The same event with Camel HTTP's own token cache: oauth2CacheTokens=true, client_credentials, token lifetime
     * 7 s minus its default 5 s margin (so stale after 2 s), token endpoint 500 ms.
     */
    static void camelOAuth2ExpiryStorm() throws Exception {
        System.out.println();
        System.out.printf("== 3b. expiry storm, camel-http oauth2CacheTokens=true for comparison: %d concurrent callers,"
                          + " %d events (token endpoint 500 ms)%n", CALLERS, EVENTS);
        LoopbackApi api = new LoopbackApi("cc-storm", "cc-secret", 7, null, CALLERS + 64).ccDelay(500);
        Path storeDir = Fixtures.tempDir("bench-storm-camel");
        DefaultCamelContext context = Fixtures.context(storeDir);
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to(api.resourceUrl() + "?oauth2ClientId=cc-storm&oauth2ClientSecret=cc-secret"
                                           + "&oauth2TokenEndpoint=" + api.ccTokenUrl() + "&oauth2CacheTokens=true&"
                                           + POOL);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            Endpoint call = context.getEndpoint("direct:call");
            check(template.send(call, e -> {
            }));
            Instant staleAt = Instant.now().plusSeconds(2);
            for (int event = 1; event <= EVENTS; event++) {
                sleepUntil(staleAt.plusMillis(20));
                int callsBefore = api.ccTokenCalls();
                Storm storm = storm(template, call, CALLERS, null);
                int calls = api.ccTokenCalls() - callsBefore;
                staleAt = Instant.now().plusSeconds(2);
                System.out.printf("event %d: token calls %d, failed callers %d, caller latency %s%n", event, calls,
                                  storm.failed, storm.latencies.summaryMs());
            }
        } finally {
            Fixtures.stopQuietly(context, api);
            Fixtures.deleteTree(storeDir);
        }
    }

    // ------------------------------------------------------------------------------------------ 1,000 401s

    /** All callers are held after decoration until every one carries the same token, which is then revoked. */
    static void unauthorizedStorm() throws Exception {
        System.out.println();
        System.out.printf("== 3c. 401 storm: %d concurrent callers carrying one stale token, TokenRefreshRouteConfiguration,"
                          + " %d events (token endpoint 500 ms)%n", CALLERS, EVENTS);
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-401").responseDelay(Duration.ofMillis(500));
        LoopbackApi api = new LoopbackApi("cc-client", "cc-secret", 3600, tokens::isAccessTokenValid, 64);
        Path storeDir = Fixtures.tempDir("bench-401");
        DefaultCamelContext context = Fixtures.context(storeDir);
        Gate gate = new Gate();
        try {
            String provider = Fixtures.provider("storm401", tokens, "rt-401", null);
            context.addRoutes(new TokenRefreshRouteConfiguration());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to(provider).process(gate::pass).to(api.resourceUrl() + "?" + POOL);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            Endpoint call = context.getEndpoint("direct:call");
            check(template.send(call, e -> {
            }));
            AccountTokens source = source(context, "storm401");
            for (int event = 1; event <= EVENTS; event++) {
                String stale = tokens.issuedAccessTokens().get(tokens.issuedAccessTokens().size() - 1);
                int callsBefore = tokens.tokenCalls();
                int resourceBefore = api.resourceCalls();
                int unauthorizedBefore = api.unauthorized();
                gate.arm(CALLERS, () -> { // all decorated with the same token: the API now refuses it
                    tokens.revokeAccessToken(stale);
                    api.revoke(stale);
                });
                Storm storm = storm(template, call, CALLERS, null);
                System.out.printf("event %d: token calls %d (target 1), 401s %d, resource calls %d, failed callers %d,"
                                  + " distinct tokens on the redelivered calls %d, caller latency %s%n", event,
                                  tokens.tokenCalls() - callsBefore, api.unauthorized() - unauthorizedBefore,
                                  api.resourceCalls() - resourceBefore, storm.failed, storm.distinctTokens.size(),
                                  storm.latencies.summaryMs());
            }
            System.out.printf("token source after the storms: %s%n", source.status().state());
        } finally {
            Fixtures.stopQuietly(context, api, tokens);
            Fixtures.deleteTree(storeDir);
        }
    }

    /** Holds every caller after decoration until {@code parties} have arrived, then runs an action once. */
    static final class Gate {
        private volatile CountDownLatch latch;
        private volatile Runnable onFull;
        private final AtomicInteger arrived = new AtomicInteger();
        private volatile int parties;

        void arm(int parties, Runnable action) {
            arrived.set(0);
            this.parties = parties;
            onFull = action;
            latch = new CountDownLatch(parties);
        }

        void pass(Exchange exchange) throws InterruptedException {
            CountDownLatch l = latch;
            if (l == null || exchange.getProperty("gated") != null) {
                return;
            }
            exchange.setProperty("gated", true);
            if (arrived.incrementAndGet() == parties) {
                onFull.run();
            }
            l.countDown();
            if (!l.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not all callers arrived at the gate");
            }
        }
    }

    // ------------------------------------------------------------------------------------------ refresh-ahead window

    /**
     * Token lifetime 8 s: expiry margin 0.8 s, refresh-ahead window 2 s, so the window runs from age 6 s to 7.2 s.
     * The token endpoint takes 500 ms. Callers run a closed loop (decorate + HTTP call) during a steady stretch and
     * again across the window, in which one background refresh renews the token.
     */
    static void refreshAheadLatency() throws Exception {
        System.out.println();
        System.out.println("== 3d. caller latency in the refresh-ahead window vs steady state (token endpoint 500 ms,"
                           + " token lifetime 8 s: window from age 6.0 s to 7.2 s), 4 caller threads");
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-ahead").expiresIn(8L).responseDelay(Duration.ofMillis(500));
        LoopbackApi api = new LoopbackApi("cc-client", "cc-secret", 3600, tokens::isAccessTokenValid, 4);
        Path storeDir = Fixtures.tempDir("bench-ahead");
        DefaultCamelContext context = Fixtures.context(storeDir);
        try {
            String provider = Fixtures.provider("ahead", tokens, "rt-ahead", null);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to(provider).to(api.resourceUrl());
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            Endpoint call = context.getEndpoint("direct:call");
            List<Load.Result> steady = new ArrayList<>();
            List<Load.Result> window = new ArrayList<>();
            int windowTokenCalls = 0;
            int rounds = 2;
            for (int round = 0; round < rounds; round++) {
                AccountTokens source = source(context, "ahead");
                if (round == 0) {
                    check(template.send(call, e -> {
                    }));
                }
                Instant expiresAt = source.status().expiresAt();
                Instant aheadFrom = expiresAt.minusMillis(2000);
                // steady: well before the window (from the token's age ~0.6 s on)
                steady.add(Load.run(template, call, 4, Math.min(3000, Duration.between(Instant.now(), aheadFrom)
                        .minusMillis(1500).toMillis()), 10_000_000));
                sleepUntil(aheadFrom.plusMillis(20));
                TokenState state = source.status().state();
                int before = tokens.tokenCalls();
                window.add(Load.run(template, call, 4, 1000, 10_000_000)); // ends at age ~7.0 s, inside the window
                windowTokenCalls += tokens.tokenCalls() - before;
                System.out.printf("round %d: state at window start %s; token calls in the window %d; new token %s%n",
                                  round + 1, state, tokens.tokenCalls() - before,
                                  source.status().expiresAt().isAfter(expiresAt) ? "published" : "NOT published");
            }
            Latencies s = Latencies.merge(steady.stream().map(Load.Result::latencies).toList());
            Latencies w = Latencies.merge(window.stream().map(Load.Result::latencies).toList());
            long errors = steady.stream().mapToLong(Load.Result::errors).sum() + window.stream().mapToLong(Load.Result::errors).sum();
            System.out.printf("steady state:        %s%n", s.summaryMs());
            System.out.printf("refresh-ahead window: %s%n", w.summaryMs());
            System.out.printf("p99 window / steady = %.2f; callers slower than 250 ms in the window: %d (a caller that"
                              + " waited for the token endpoint takes >= 500 ms); token calls in the windows: %d;"
                              + " errors %d%n", (double) w.percentile(99) / s.percentile(99), w.countAbove(250_000_000L),
                              windowTokenCalls, errors);
        } finally {
            Fixtures.stopQuietly(context, api, tokens);
            Fixtures.deleteTree(storeDir);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    record Storm(Latencies latencies, int failed, Set<String> distinctTokens, long[] arrivals) {
        /** Callers that started their call before {@code instant}: on a busy machine 1,000 released threads take a while to run. */
        int arrivedBefore(Instant instant) {
            int n = 0;
            for (long a : arrivals) {
                if (a > 0 && a < instant.toEpochMilli()) {
                    n++;
                }
            }
            return n;
        }
    }

    /** CALLERS threads, parked, released at once; each sends one exchange. Bounded: 120 s at most. */
    static Storm storm(ProducerTemplate template, Endpoint call, int callers, Runnable afterRelease) throws Exception {
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Latencies> recorders = new ArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        Set<String> tokens = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long[] arrivals = new long[callers];
        for (int i = 0; i < callers; i++) {
            int index = i;
            Latencies mine = new Latencies();
            recorders.add(mine);
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                arrivals[index] = System.currentTimeMillis();
                long t0 = System.nanoTime();
                Exchange result = template.send(call, e -> {
                });
                mine.record(System.nanoTime() - t0);
                Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                if (result.getException() != null || (status != null && status != 200)) {
                    failed.incrementAndGet();
                }
                String auth = result.getMessage().getHeader("Authorization", String.class);
                if (auth != null) {
                    tokens.add(auth);
                }
            }, "storm-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        ready.await();
        go.countDown();
        if (afterRelease != null) {
            afterRelease.run();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return new Storm(Latencies.merge(recorders), failed.get(), new HashSet<>(tokens), arrivals);
    }

    static AccountTokens source(DefaultCamelContext context, String provider) {
        return context.getComponent("tokenrefresh", TokenRefreshComponent.class).getProviders().get(provider)
                .account("default");
    }

    static void check(Exchange exchange) throws Exception {
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
    }

    static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
