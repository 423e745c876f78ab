package io.github.cameltokenrefresh.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.internal.ProviderDefinition.Schedule;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.token.RefreshReport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * keepAliveAge: passes also refresh the accounts whose token was issued (last refreshed) longer ago than the age, and
 * no others. One-hour tokens, refreshWindow 10 min, keepAliveAge 30 min; the store is a memory store, so the passes'
 * own indexes answer (the JDBC store's SQL answer is JdbcTokenStoreContractTest's).
 */
class KeepAliveTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration AGE = Duration.ofMinutes(30);

    private static void seed(RateLimitFixture f) {
        f.storeToken("expiring", Duration.ofMinutes(55)); // expires in 5 min: due by expiry
        f.storeToken("idle-40m", Duration.ofMinutes(40)); // expires in 20 min: not due, but idle
        f.storeToken("idle-just", AGE.plusMillis(1));
        f.storeToken("at-the-age", AGE);
        f.storeToken("recent", Duration.ofMinutes(10));
    }

    private static ProviderPasses passes(RateLimitFixture f, Duration keepAliveAge, boolean refreshOnStart) {
        Schedule schedule = new Schedule(null, Duration.ZERO, WINDOW, refreshOnStart, 4, 0, keepAliveAge, null);
        ProviderDefinition definition = new ProviderDefinition(RateLimitFixture.PROVIDER, null, null, null, null, null,
                                                               schedule, null, null, null, 100_000);
        Map<String, AccountTokenCache> caches = new ConcurrentHashMap<>();
        return new ProviderPasses(definition, f.store, f.clock, f.pool, a -> caches.computeIfAbsent(a, f::account),
                                  f.rateLimit);
    }

    private static boolean renewed(RateLimitFixture f, String account) {
        return f.store.load(RateLimitFixture.PROVIDER, account).token().getAccessToken().startsWith("at-new-");
    }

    @Test
    void aScheduledPassRefreshesExactlyTheAccountsPastTheAgeAndTheDueOnes() {
        try (RateLimitFixture f = new RateLimitFixture(0)) {
            seed(f);
            RefreshReport report = passes(f, AGE, false).refreshDue();

            assertEquals(List.of("expiring", "idle-40m", "idle-just"), report.getRefreshed());
            assertEquals(Map.of(), report.getFailed());
            assertEquals(3, f.calls.count());
            for (String left : List.of("at-the-age", "recent")) {
                assertEquals("at-" + left, f.store.load(RateLimitFixture.PROVIDER, left).token().getAccessToken(),
                             left + " is younger than the age: untouched");
            }
        }
    }

    @Test
    void theNextPassTakesOnlyWhatBecameIdleSinceNotWhatItRefreshed() {
        try (RateLimitFixture f = new RateLimitFixture(0)) {
            seed(f);
            ProviderPasses passes = passes(f, AGE, false);
            passes.refreshDue();
            f.advance(Duration.ofMinutes(5));
            // the refreshed tokens were issued 5 min ago; at-the-age is now 35 min old, recent 15 min
            assertEquals(List.of("at-the-age"), passes.refreshDue().getRefreshed());
            assertEquals(4, f.calls.count());
        }
    }

    @Test
    void withoutKeepAliveOnlyTheDueAccountIsRefreshed() {
        try (RateLimitFixture f = new RateLimitFixture(0)) {
            seed(f);
            assertEquals(List.of("expiring"), passes(f, Duration.ZERO, false).refreshDue().getRefreshed());
            assertEquals(1, f.calls.count());
        }
    }

    @Test
    void theStartUpPassKeepsAliveToo() {
        try (RateLimitFixture f = new RateLimitFixture(0)) {
            seed(f);
            ProviderPasses passes = passes(f, AGE, true);
            passes.onProducerStart("recent"); // its own account, before its route takes traffic: not due
            passes.startInBackground(Runnable::run); // the rest of the start-up pass, here on this thread
            assertEquals(3, f.calls.count());
            for (String account : List.of("expiring", "idle-40m", "idle-just")) {
                assertTrue(renewed(f, account), account);
            }
            for (String account : List.of("at-the-age", "recent")) {
                assertTrue(!renewed(f, account), account);
            }
        }
    }
}
