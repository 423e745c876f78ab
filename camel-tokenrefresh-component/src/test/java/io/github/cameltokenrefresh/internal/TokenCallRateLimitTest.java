package io.github.cameltokenrefresh.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.authorize.AuthorizationCodeFlow;
import io.github.cameltokenrefresh.internal.authorize.CallbackResult;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.TokenState;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxTokenCallsPerSecond across every path that calls the token endpoint, on a clock moved by hand: the calls' times
 * on that clock are exact, so the tests assert them, and never more in one second than the limit.
 */
class TokenCallRateLimitTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @Test
    void aPassWaitsForEachPermitOnItsOwnThreadAndNeverExceedsTheLimit() throws Exception {
        try (RateLimitFixture f = new RateLimitFixture(2)) {
            List<String> due = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                f.storeRefreshToken("acct-" + i);
                due.add("acct-" + i);
            }
            List<AccountTokenCache> caches = due.stream().map(f::account).toList();
            CompletableFuture<RefreshPass.Outcome> pass = CompletableFuture.supplyAsync(
                    () -> RefreshPass.run(due, a -> caches.get(due.indexOf(a)), Duration.ofMinutes(10), Duration.ZERO,
                                          f.pool, f.rateLimit), callers);

            stepClockUntil(f, pass::isDone, 6);

            RefreshPass.Outcome outcome = pass.join();
            assertEquals(due, outcome.refreshed());
            assertTrue(outcome.failed().isEmpty(), outcome.failed().toString());
            // one permit every 500 ms from the first, and never a pool thread refused for want of one
            assertEquals(List.of(0L, 500L, 1000L, 1500L, 2000L, 2500L), f.calls.times());
            assertEquals(2, f.calls.mostCallsInOneSecond());
        }
    }

    @Test
    void aPassTakesPermitsOnlyForAccountsThatWillCall() throws Exception {
        try (RateLimitFixture f = new RateLimitFixture(1)) {
            // a start-up pass hands over every stored account; the fresh ones make no call and need no permit
            List<String> all = List.of("fresh-1", "due-1", "fresh-2", "due-2");
            f.storeToken("fresh-1", Duration.ofMinutes(1));
            f.storeRefreshToken("due-1");
            f.storeToken("fresh-2", Duration.ofMinutes(1));
            f.storeRefreshToken("due-2");
            List<AccountTokenCache> caches = all.stream().map(f::account).toList();
            CompletableFuture<RefreshPass.Outcome> pass = CompletableFuture.supplyAsync(
                    () -> RefreshPass.run(all, a -> caches.get(all.indexOf(a)), Duration.ofMinutes(10), Duration.ZERO,
                                          f.pool, f.rateLimit), callers);

            stepClockUntil(f, pass::isDone, 2);

            assertEquals(List.of("due-1", "due-2"), pass.join().refreshed());
            assertEquals(List.of(0L, 1000L), f.calls.times());
            assertEquals(RateLimitFixture.START.plusSeconds(2), f.rateLimit.nextFreeAt(), "two permits taken, not four");
        }
    }

    @Test
    void everyCallerPathSharesTheLimitAndWaitsForItsPermit() throws Exception {
        try (RateLimitFixture f = new RateLimitFixture(1)) {
            f.storeRefreshToken("expired");
            f.storeToken("forced", Duration.ofMinutes(1));
            f.storeToken("rejected", Duration.ofMinutes(1));
            f.storeRefreshToken("pass");
            AccountTokenCache bootstrap = f.account("bootstrap"); // nothing stored: the configured refresh token
            bootstrap.offerBootstrapRefreshToken("rt-configured");
            AccountTokenCache fallback = f.accountWithFallback("fallback"); // nothing at all: the fallback grant

            List<CompletableFuture<?>> waiting = new ArrayList<>();
            waiting.add(startAndAwaitWaiting(f, () -> f.account("expired").token()));
            waiting.add(startAndAwaitWaiting(f, () -> f.account("forced").refresh()));
            waiting.add(startAndAwaitWaiting(f, () -> f.account("rejected").refreshIfCurrent("at-rejected")));
            waiting.add(startAndAwaitWaiting(f, bootstrap::token));
            waiting.add(startAndAwaitWaiting(f, fallback::token));

            stepClockUntil(f, () -> waiting.stream().allMatch(CompletableFuture::isDone), 5);

            for (CompletableFuture<?> call : waiting) {
                call.join();
            }
            // the first at once, each other one at its permit, one a second
            assertEquals(List.of(0L, 1000L, 2000L, 3000L, 4000L), f.calls.times());
            assertEquals(List.of("refresh_token", "refresh_token", "refresh_token", "refresh_token",
                                 "client_credentials"), f.calls.grants());
            assertEquals(1, f.calls.mostCallsInOneSecond());

            // a pass's account on a pool thread without the permit a pass takes for it: the next one is at 5000 ms, so
            // it is deferred, not waited for
            AccountTokenCache pass = f.account("pass");
            RefreshBackoffException deferred = assertThrows(RefreshBackoffException.class,
                                                           () -> pass.refreshIfExpiresWithin(Duration.ofMinutes(10)));
            assertEquals("rate_limited", deferred.getErrorType());
            assertEquals(5, f.calls.count());
            assertNull(pass.status().nextAttemptAt(), "a deferred account does not back off");
        }
    }

    @Test
    void aCallerFailsAtOnceWithATypedRetriableErrorWhenThePermitIsFurtherThanItWaits() throws Exception {
        // 0.2 a second: one permit each 5 s, which is also how long a caller waits at most
        try (RateLimitFixture f = new RateLimitFixture(0.2)) {
            f.storeRefreshToken("first");
            f.storeRefreshToken("second");
            f.storeRefreshToken("third");
            f.account("first").token(); // at 0, the permit that was free
            CompletableFuture<?> second = startAndAwaitWaiting(f, () -> f.account("second").token());

            AccountTokenCache third = f.account("third");
            RefreshBackoffException refused = assertThrows(RefreshBackoffException.class, third::token);
            assertTrue(refused.isRetriable());
            assertEquals("rate_limited", refused.getErrorType());
            assertNull(refused.getCause(), "nothing failed: no cause");
            assertTrue(refused.getMessage().contains("maxTokenCallsPerSecond=0.2"), refused.getMessage());
            assertEquals(RateLimitFixture.START.plusSeconds(10), refused.getNextAttempt());
            assertEquals(TokenState.NO_TOKEN, third.status().state(), "no failure recorded: nothing failed");
            assertNull(third.status().nextAttemptAt());

            stepClockUntil(f, second::isDone, 2);
            assertEquals(List.of(0L, 5000L), f.calls.times());
        }
    }

    @Test
    void theAuthorizationCodeExchangeTakesAPermitAndAnswers503WithoutOne() throws Exception {
        // 0.2 a second: a permit each 5 s, and a caller waits 5 s at most
        try (RateLimitFixture f = new RateLimitFixture(0.2)) {
            AuthorizationCodeFlow flow = f.authorization();
            f.storeRefreshToken("busy");
            f.account("busy").token(); // the permit at 0
            CompletableFuture<?> waiting = startAndAwaitWaiting(f, () -> f.account("busy").refresh()); // 5 s

            CallbackResult refused = flow.callback("code-1", state(flow.authorizationUrl("new")), null);
            assertEquals(503, refused.status(), "the permit at 10 s is further than a caller waits");
            assertTrue(refused.detail().contains("too many token calls"), refused.detail());
            assertEquals(1, f.calls.count(), "no code exchange was sent");

            stepClockUntil(f, waiting::isDone, 2);
            // the next permit (10 s) is within the wait now: the exchange waits for it, then goes through
            CompletableFuture<CallbackResult> exchanged = CompletableFuture.supplyAsync(
                    () -> flow.callback("code-2", state(flow.authorizationUrl("new")), null), callers);
            stepClockUntil(f, exchanged::isDone, 3);
            assertEquals(200, exchanged.join().status());
            assertEquals(List.of(0L, 5000L, 10000L), f.calls.times());
            assertEquals("authorization_code", f.calls.grants().get(2));
        }
    }

    private static String state(String authorizationUrl) {
        String query = java.net.URI.create(authorizationUrl).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("state=")) {
                return java.net.URLDecoder.decode(pair.substring(6), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no state in the link");
    }

    @Test
    void aRefreshAheadIsDeferredWhileNoPermitIsFreeAndNeverWaitsOnAPoolThread() throws Exception {
        try (RateLimitFixture f = new RateLimitFixture(1)) {
            f.storeToken("ahead", Duration.ofMinutes(56)); // inside its refresh-ahead window, not expired
            f.storeRefreshToken("other");
            f.account("other").token(); // takes the permit at 0
            AccountTokenCache ahead = f.account("ahead");

            assertEquals("at-ahead", ahead.token().getAccessToken(), "served at once");
            assertEquals(1, f.calls.count());
            assertEquals(0, ((ThreadPoolExecutor) f.pool).getActiveCount()
                            + ((ThreadPoolExecutor) f.pool).getQueue().size(),
                         "no background refresh was started to wait for a permit");

            f.advance(Duration.ofSeconds(1));
            assertEquals("at-ahead", ahead.token().getAccessToken());
            promptly().until(() -> f.calls.count() == 2);
            assertEquals(List.of(0L, 1000L), f.calls.times());
            promptly().until(() -> !"at-ahead".equals(ahead.token().getAccessToken()));
        }
    }

    /** Starts the call on its own thread and waits until it waits for its permit (or has made its call). */
    private CompletableFuture<?> startAndAwaitWaiting(RateLimitFixture f, Supplier<?> call) {
        AtomicReference<Thread> runner = new AtomicReference<>();
        int before = f.calls.count();
        CompletableFuture<?> future = CompletableFuture.supplyAsync(() -> {
            runner.set(Thread.currentThread());
            return call.get();
        }, callers);
        promptly().until(() -> future.isDone() || f.calls.count() > before
                               || runner.get() != null && f.clockWait.waiting(runner.get()));
        return future;
    }

    /**
     * Moves the clock from permit to permit ({@code expectedCalls} in all, one every 1 / limit s from the first): to
     * 1 ms before the next one, where every waiter must look at the clock and keep waiting, with no call made; then
     * onto it, where its call must be made. Waiters are woken by the clock, so no step waits real time.
     */
    private static void stepClockUntil(RateLimitFixture f, Supplier<Boolean> done, int expectedCalls) {
        long spacing = (long) Math.ceil(1000 / f.rateLimit.perSecond());
        while (true) {
            // settled: the permits due by now are used, and whoever still waits has looked at the clock now
            long dueByNow = Math.min(expectedCalls, f.elapsedMillis() / spacing + 1);
            long now = f.clock.millis();
            promptly().alias("the permits due at " + (now - START_MILLIS) + " ms used, every waiter looking on")
                    .until(() -> done.get() || f.calls.count() >= dueByNow && f.clockWait.allWaitersSaw(now));
            if (done.get()) {
                return;
            }
            long nextPermit = dueByNow * spacing;
            if (nextPermit > 60_000) {
                throw new AssertionError("not done after a minute of clock: " + f.calls.times());
            }
            Set<Thread> waiting = f.clockWait.waiters();
            int callsBefore = f.calls.count();
            f.advance(Duration.ofMillis(nextPermit - 1 - f.elapsedMillis()));
            long justBefore = f.clock.millis();
            promptly().alias("every waiter saw " + (justBefore - START_MILLIS) + " ms and kept waiting")
                    .until(() -> f.clockWait.eachStillWaitsHavingSeen(waiting, justBefore));
            assertEquals(callsBefore, f.calls.count(), "no call 1 ms before its permit");
            f.advance(Duration.ofMillis(1));
        }
    }

    private static final long START_MILLIS = RateLimitFixture.START.toEpochMilli();

    /** Awaitility checking at once and then every millisecond: the conditions here are met within microseconds. */
    private static ConditionFactory promptly() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }
}
