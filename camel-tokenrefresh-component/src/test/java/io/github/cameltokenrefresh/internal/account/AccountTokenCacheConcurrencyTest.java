package io.github.cameltokenrefresh.internal.account;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.REFRESH_AHEAD_FROM;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.connectionRefused;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Single flight: a token call is held in flight by the scripted client while other callers arrive; they are known to
 * have arrived when their threads wait (on the refresh's future or the account's lock), never by sleeping.
 */
@ExtendWith(QuietLog.class)
class AccountTokenCacheConcurrencyTest {

    private static final int CALLERS = 8;

    private final AccountFixture f = new AccountFixture();
    private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS + 1);
    private final List<Thread> callerThreads = new ArrayList<>();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void concurrentCallersOnAnExpiredTokenShareOneTokenCall() throws Exception {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(ok("at-2", "rt-2", 3600));
        ScriptedTokenClient.Hold held = f.client.hold(2);

        List<Future<Token>> results = startCallers(CALLERS, cache -> cache.token());
        held.awaitEntered();
        awaitAllCallersWaiting(CALLERS);
        held.release();

        for (Future<Token> result : results) {
            assertEquals("at-2", result.get(10, TimeUnit.SECONDS).getAccessToken());
        }
        assertEquals(2, f.client.calls(), "one call for the first token, one shared by all callers");
        assertEquals(2, f.cache().status().refreshes());
        assertEquals(List.of(TokenEvent.Type.REFRESHED), f.observer.types());
    }

    @Test
    void concurrentCallersWaitingForARefreshThatFailsAllGetTheFailureFromOneCall() throws Exception {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(connectionRefused());
        ScriptedTokenClient.Hold held = f.client.hold(2);

        List<Future<Token>> results = startCallers(CALLERS, cache -> cache.token());
        held.awaitEntered();
        awaitAllCallersWaiting(CALLERS);
        held.release();

        for (Future<Token> result : results) {
            try {
                result.get(10, TimeUnit.SECONDS);
                fail("a caller got a token although the only refresh failed");
            } catch (ExecutionException e) {
                // every caller joined the one refresh before it failed, so each gets its failure, not a backoff
                assertInstanceOf(TokenEndpointUnavailableException.class, e.getCause());
            }
        }
        assertEquals(2, f.client.calls());
        assertEquals(1, f.cache().status().failures());
        assertNotNull(f.cache().status().nextAttemptAt());
        assertEquals(List.of(TokenEvent.Type.REFRESH_FAILED), f.observer.types());
    }

    @Test
    void whileTheBackgroundRefreshIsInFlightCallersInTheWindowAreServedAtOnce() throws Exception {
        Token first = f.freshToken();
        f.at(REFRESH_AHEAD_FROM);
        f.client.then(ok("at-2", "rt-2", 3600));
        ScriptedTokenClient.Hold held = f.client.hold(2);
        assertSame(first, f.cache().token());
        Future<?> background = threads.submit(f.executor::runTheOneQueued);
        held.awaitEntered();

        // the refresh holds the account's lock and its call is in flight; callers must not wait for it
        List<Future<Token>> results = startCallers(CALLERS, cache -> cache.token());
        for (Future<Token> result : results) {
            assertSame(first, result.get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, f.executor.queued(), "no second background refresh was queued");

        held.release();
        background.get(10, TimeUnit.SECONDS);
        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(2, f.client.calls());
    }

    @Test
    void concurrentRejectionsOfTheSameTokenShareOneRefresh() throws Exception {
        f.freshToken();
        f.client.then(ok("at-2", "rt-2", 3600));
        ScriptedTokenClient.Hold held = f.client.hold(2);

        List<Future<Token>> results = startCallers(CALLERS, cache -> cache.refreshIfCurrent("at-1"));
        held.awaitEntered();
        awaitAllCallersWaiting(CALLERS);
        held.release();

        for (Future<Token> result : results) {
            assertEquals("at-2", result.get(10, TimeUnit.SECONDS).getAccessToken());
        }
        assertEquals(2, f.client.calls());
    }

    @Test
    void aRefreshTokenSuppliedDuringARefreshIsNotOverwrittenByIt() throws Exception {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(ok("at-2", "rt-2", 3600));
        ScriptedTokenClient.Hold held = f.client.hold(2);
        List<Future<Token>> refreshing = startCallers(1, cache -> cache.token());
        held.awaitEntered();

        List<Future<Token>> supplying = startCallers(1, cache -> {
            cache.supplyRefreshToken("rt-new");
            return null;
        });
        awaitAllCallersWaiting(2);
        held.release();
        supplying.get(0).get(10, TimeUnit.SECONDS);

        assertEquals("at-2", refreshing.get(0).get(10, TimeUnit.SECONDS).getAccessToken());
        assertEquals("rt-new", f.stored().token().getRefreshToken());
        assertEquals("rt-new", f.cache().state().token().getRefreshToken());
    }

    // ------------------------------------------------------------------ helpers

    private List<Future<Token>> startCallers(int count, Function<AccountTokenCache, Token> call) {
        AccountTokenCache cache = f.cache();
        List<Future<Token>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Callable<Token> caller = () -> {
                synchronized (callerThreads) {
                    callerThreads.add(Thread.currentThread());
                    callerThreads.notifyAll();
                }
                return call.apply(cache);
            };
            results.add(threads.submit(caller));
        }
        return results;
    }

    /**
     * Every caller has started and is parked: inside the cache, waiting for the refresh held in flight. A caller
     * cannot park anywhere else, as the scripted client holds only the first call.
     */
    private void awaitAllCallersWaiting(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (callerThreads) {
            while (callerThreads.size() < count) {
                callerThreads.wait(100);
                if (System.nanoTime() > deadline) {
                    fail("callers did not start");
                }
            }
        }
        for (Thread t : callerThreads) {
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED
                   && t.getState() != Thread.State.TIMED_WAITING) {
                if (System.nanoTime() > deadline) {
                    fail("caller " + t.getName() + " never waited: " + t.getState());
                }
                Thread.yield();
            }
        }
    }
}
