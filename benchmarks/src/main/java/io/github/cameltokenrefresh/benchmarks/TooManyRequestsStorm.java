package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.cameltokenrefresh.TokenRefreshConstants;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A 429 storm (issue 13): 10,000 accounts due (their tokens expire in 9 minutes, inside the 10-minute refreshWindow),
 * a scheduled pass every 5 s, and a token endpoint that answers every token call with 429 and {@code Retry-After: 30}
 * for the first minute, then normally (after 200 ms). Targets: a handful of token calls during that minute, not
 * thousands (the provider-wide pause), every unexpired token still served meanwhile, and all accounts refreshed soon
 * after the endpoint recovers.
 * <pre>
 *   -Dbench.storm429.accounts=10000 -Dbench.storm429.concurrency=32 -Dbench.storm429.stormSeconds=60
 * </pre>
 */
final class TooManyRequestsStorm {

    static final String PROVIDER = "storm429";
    static final long PASS_EVERY_MILLIS = 5_000;

    private TooManyRequestsStorm() {
    }

    static void run() throws Exception {
        int n = Integer.getInteger("bench.storm429.accounts", 10_000);
        int concurrency = Integer.getInteger("bench.storm429.concurrency", 32);
        long stormSeconds = Long.getLong("bench.storm429.stormSeconds", 60);
        System.out.println();
        System.out.printf("== 5c. 429 storm: %,d accounts due, a pass every 5 s, the token endpoint answers 429"
                          + " Retry-After: 30 for %d s, then normally after 200 ms (refreshConcurrency=%d, file store)%n",
                          n, stormSeconds, concurrency);
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-unused").responseDelay(RefreshCapacity.ENDPOINT_DELAY);
        Path storeDir = RefreshCapacity.storeDir();
        DefaultCamelContext context = Fixtures.context(storeDir);
        try {
            Instant now = Instant.now();
            Instant expiresAt = now.plus(Duration.ofMinutes(9));
            List<String> accounts = SeededAccounts.seed(new FileTokenStore(storeDir), PROVIDER, n,
                                                        expiresAt.minus(Duration.ofHours(1)), expiresAt, tokens);
            String base = Fixtures.provider(PROVIDER, tokens, null, "refreshConcurrency=" + concurrency);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:refreshDue").to(base + "&operation=refreshDue");
                    from("direct:call").to(base);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            tokens.failNext(1_000_000, 429, "application/json", "{\"error\":\"rate_limited\"}",
                            Map.of("Retry-After", "30"));
            MachineLoad.Sample load = MachineLoad.Sample.start();
            long start = System.nanoTime();
            long stormEnd = start + stormSeconds * 1_000_000_000L;
            int passes = 0;
            Served served = new Served();
            Random random = new Random(13);
            while (System.nanoTime() < stormEnd) {
                pass(template);
                passes++;
                served.sample(template, accounts, random);
                sleepUntilNextPass(start, passes, stormEnd);
            }
            int stormCalls = tokens.tokenCalls();
            int stormRefreshed = tokens.successfulRefreshes();
            tokens.clearFailures();
            served.mark();
            long recovered = System.nanoTime();
            int recoveryPasses = 0;
            long limit = recovered + Duration.ofMinutes(5).toNanos();
            while (tokens.successfulRefreshes() < n && System.nanoTime() < limit) {
                pass(template);
                recoveryPasses++;
                served.sample(template, accounts, random);
                if (tokens.successfulRefreshes() < n) {
                    sleepUntilNextPass(recovered, recoveryPasses, limit);
                }
            }
            double recoverySeconds = (System.nanoTime() - recovered) / 1e9;
            System.out.printf("during the %d s of 429s: %d token calls (target: a handful), %d passes, %d refreshed;"
                              + " callers of unexpired tokens: %d served, %d failed (target 0)%n", stormSeconds,
                              stormCalls, passes, stormRefreshed, served.servedDuringStorm, served.failedDuringStorm);
            System.out.printf("recovery: all %,d refreshed %.1f s after the endpoint answered again (%d passes; bound:"
                              + " the rest of a Retry-After pause, <= 30 s, + %,d x 0.2 s / %d = %.1f s); token calls"
                              + " %d for %d refreshes; refreshed %d of %d; callers %d served, %d failed; max in flight"
                              + " %d; other processes %.0f%%%n", n, recoverySeconds, recoveryPasses, n, concurrency,
                              n * 0.2 / concurrency, tokens.tokenCalls() - stormCalls,
                              tokens.successfulRefreshes() - stormRefreshed, tokens.successfulRefreshes(), n,
                              served.servedAfter, served.failedAfter, tokens.maxTokenCallsInFlight(),
                              load.othersBusyPercent());
        } finally {
            Fixtures.stopQuietly(context, tokens);
            Fixtures.deleteTree(storeDir);
        }
    }

    private static void pass(ProducerTemplate template) throws Exception {
        Exchange result = template.send("direct:refreshDue", e -> {
        });
        if (result.getException() != null) {
            throw result.getException();
        }
    }

    private static void sleepUntilNextPass(long start, int passes, long notAfter) throws InterruptedException {
        long next = Math.min(start + passes * PASS_EVERY_MILLIS * 1_000_000L, notAfter);
        long millis = (next - System.nanoTime()) / 1_000_000L;
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    /** 100 random accounts decorated after each pass: an unexpired token must be served whatever the endpoint says. */
    static final class Served {
        int servedDuringStorm;
        int failedDuringStorm;
        int servedAfter;
        int failedAfter;
        private boolean after;

        void sample(ProducerTemplate template, List<String> accounts, Random random) {
            for (int i = 0; i < 100; i++) {
                String account = accounts.get(random.nextInt(accounts.size()));
                Exchange result = template.send("direct:call",
                                                e -> e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, account));
                boolean ok = result.getException() == null
                             && result.getMessage().getHeader("Authorization", String.class) != null;
                if (after) {
                    servedAfter += ok ? 1 : 0;
                    failedAfter += ok ? 0 : 1;
                } else {
                    servedDuringStorm += ok ? 1 : 0;
                    failedDuringStorm += ok ? 0 : 1;
                }
            }
        }

        void mark() {
            after = true;
        }
    }
}
