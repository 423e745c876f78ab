package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cameltokenrefresh.TokenRefreshConstants;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.ProviderTokens;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Refresh-ahead at scale (issue 13): 10,000 accounts whose 1-hour tokens all entered the refresh-ahead window at once
 * (4 minutes left: the default 5-minute refreshAhead; the 30 s expiryMargin begins 3.5 minutes from now). Callers ask
 * for every account and keep asking; each first ask in the window starts one background refresh on the provider's
 * pool. Targets: no caller waits on the network (the token endpoint takes 200 ms, so a caller that waited for a token
 * call took at least that), and every account refreshed before its expiry margin began.
 * <pre>
 *   -Dbench.ahead.accounts=10000 -Dbench.ahead.concurrency=32 -Dbench.ahead.callers=4
 * </pre>
 */
final class RefreshAheadAtScale {

    static final String PROVIDER = "ahead";

    private RefreshAheadAtScale() {
    }

    static void run() throws Exception {
        int n = Integer.getInteger("bench.ahead.accounts", 10_000);
        int concurrency = Integer.getInteger("bench.ahead.concurrency", 32);
        int callers = Integer.getInteger("bench.ahead.callers", 4);
        System.out.println();
        System.out.printf("== 5b. refresh-ahead with %,d accounts in the window at once (1 h tokens with 4 min left,"
                          + " token endpoint 200 ms, refreshConcurrency=%d, %d caller threads, file store)%n", n,
                          concurrency, callers);
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-unused").responseDelay(RefreshCapacity.ENDPOINT_DELAY);
        Path storeDir = RefreshCapacity.storeDir();
        DefaultCamelContext context = Fixtures.context(storeDir);
        try {
            Instant now = Instant.now();
            Instant expiresAt = now.plus(Duration.ofMinutes(4));
            Instant marginFrom = expiresAt.minusSeconds(30);
            List<String> accounts = SeededAccounts.seed(new FileTokenStore(storeDir), PROVIDER, n,
                                                        expiresAt.minus(Duration.ofHours(1)), expiresAt, tokens);
            String uri = Fixtures.provider(PROVIDER, tokens, null, "refreshConcurrency=" + concurrency);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to(uri);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            Endpoint call = context.getEndpoint("direct:call");
            MachineLoad.Sample load = MachineLoad.Sample.start();
            int refreshesBefore = tokens.successfulRefreshes();
            long t0 = System.nanoTime();
            AtomicInteger errors = new AtomicInteger();
            List<SlowCall> slow = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Latencies> recorders = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int first = c;
                Latencies mine = new Latencies();
                recorders.add(mine);
                Thread t = new Thread(() -> callLoop(template, call, accounts, first, callers, tokens, refreshesBefore,
                                                     marginFrom, mine, errors, slow), "ahead-caller-" + c);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(Duration.between(Instant.now(), marginFrom).toMillis() + 60_000);
            }
            double allRefreshedAfter = (System.nanoTime() - t0) / 1e9;
            double others = load.othersBusyPercent();
            Latencies latencies = Latencies.merge(recorders);

            ProviderTokens provider = RefreshCapacity.provider(context, PROVIDER);
            int late = 0;
            int notRefreshed = 0;
            long extraRefreshes = 0;
            Instant lastRefresh = Instant.EPOCH;
            for (String account : accounts) {
                AccountStatus s = provider.status(account);
                if (s == null || s.lastRefreshAt() == null) {
                    notRefreshed++;
                    continue;
                }
                if (!s.lastRefreshAt().isBefore(marginFrom)) {
                    late++;
                }
                extraRefreshes += Math.max(0, s.refreshes() - 1);
                if (s.lastRefreshAt().isAfter(lastRefresh)) {
                    lastRefresh = s.lastRefreshAt();
                }
            }
            System.out.printf("all %,d refreshed %.1f s after the first caller (bound %,d x 0.2 s / %d = %.1f s; the"
                              + " expiry margin began %.0f s after seeding); the last refresh %.0f s before the margin;"
                              + " max token calls in flight %d; token calls %d; other processes %.0f%%%n", n,
                              allRefreshedAfter, n, concurrency, n * 0.2 / concurrency,
                              Duration.between(now, marginFrom).toMillis() / 1000.0,
                              Duration.between(lastRefresh, marginFrom).toMillis() / 1000.0,
                              tokens.maxTokenCallsInFlight(), tokens.tokenCalls(), others);
            int waited = 0;
            for (SlowCall c : slow) {
                AccountStatus s = provider.status(c.account);
                // it waited for a refresh only if it came back with a token refreshed while it ran
                if (!c.token.endsWith("at-" + PROVIDER + "-" + c.account) && s.lastRefreshAt() != null
                    && !s.lastRefreshAt().isBefore(c.started) && !s.lastRefreshAt().isAfter(c.ended)) {
                    waited++;
                }
            }
            System.out.printf("callers: %,d calls, %s; slower than 50 ms: %d; slower than 200 ms (the endpoint's"
                              + " delay): %d, of which came back with a token refreshed during the call, i.e. waited"
                              + " on the network: %d (target 0; the others were served from memory and stalled by the"
                              + " machine); errors %d%n", latencies.count(), latencies.summaryMs(),
                              latencies.countAbove(50_000_000L), slow.size(), waited, errors.get());
            System.out.printf("accounts refreshed at or after their expiry margin began: %d (target 0); not refreshed:"
                              + " %d; refreshed more than once: %d%n", late, notRefreshed, extraRefreshes);
        } finally {
            Fixtures.stopQuietly(context, tokens);
            Fixtures.deleteTree(storeDir);
        }
    }

    record SlowCall(String account, Instant started, Instant ended, String token) {
    }

    /**
     * First asks for this caller's share of the accounts in order, then random accounts, with a 1 ms pause after each
     * call (callers that leave the two cores to the refreshes), until every account was refreshed or the margin began.
     */
    private static void callLoop(ProducerTemplate template, Endpoint call, List<String> accounts, int first, int step,
                                 StrictTokenServer tokens, int refreshesBefore, Instant until, Latencies latencies,
                                 AtomicInteger errors, List<SlowCall> slow) {
        int n = accounts.size();
        for (long i = first; Instant.now().isBefore(until); i += step) {
            if (i >= n && tokens.successfulRefreshes() - refreshesBefore >= n) {
                return;
            }
            String account = accounts.get(i < n ? (int) i : ThreadLocalRandom.current().nextInt(n));
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            Exchange result = template.send(call, e -> e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, account));
            long took = System.nanoTime() - t0;
            latencies.record(took);
            if (took >= 200_000_000L) {
                slow.add(new SlowCall(account, started, Instant.now(),
                                      String.valueOf(result.getMessage().getHeader("Authorization", String.class))));
            }
            if (result.getException() != null) {
                errors.incrementAndGet();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
