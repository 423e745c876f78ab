package io.github.cameltokenrefresh.internal.account;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenState;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.connectionRefused;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The token call runs outside the account's lock: while the scripted client holds a call in flight, invalidate and
 * status answer on the test's own thread (a call still held proves they did not wait for it), and an invalidate that
 * arrives during the call wins: the call's rotated refresh token is kept and saved, its access token reaches only the
 * callers that were already waiting.
 */
@ExtendWith(QuietLog.class)
class AccountTokenCacheInFlightTest {

    private static final int LATE_CALLERS = 16;

    private final AccountFixture f = new AccountFixture();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void invalidateAndStatusAnswerWhileATokenCallHangs() throws Exception {
        ScriptedTokenClient.Hold held = expiredWithItsRefreshHeld(ok("at-2", "rt-2", 3600), ok("at-3", "rt-3", 3600));
        Future<Token> early = refreshOnTheWire(held);

        AccountStatus during = f.cache().status();
        f.cache().invalidate();
        AccountStatus invalidated = f.cache().status();

        assertFalse(early.isDone(), "the token call is still held, so neither status nor invalidate waited for it");
        assertEquals(TokenState.EXPIRED, during.state());
        assertEquals(TokenState.NO_TOKEN, invalidated.state());
        held.release();
        // the early caller asked before the invalidate: it gets what its call obtained
        assertEquals("at-2", early.get(10, TimeUnit.SECONDS).getAccessToken());
    }

    @Test
    void theCallUnderWayKeepsItsRotatedRefreshTokenButNotItsAccessToken() throws Exception {
        ScriptedTokenClient.Hold held = expiredWithItsRefreshHeld(ok("at-2", "rt-2", 3600), ok("at-3", "rt-3", 3600));
        Future<Token> early = refreshOnTheWire(held);
        f.cache().invalidate();
        held.release();
        assertEquals("at-2", early.get(10, TimeUnit.SECONDS).getAccessToken());

        assertEquals("rt-2", f.stored().token().getRefreshToken(), "the rotated refresh token was saved");
        assertFalse(f.cache().state().hasAccessToken(), "at-2 was obtained before the invalidate");
        assertEquals("rt-2", f.cache().state().token().getRefreshToken());
        assertEquals(TokenState.NO_TOKEN, f.cache().status().state());

        assertEquals("at-3", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1", "rt-2"), f.client.sentRefreshTokens());
    }

    @Test
    void callersArrivingAfterAnInvalidateWaitForTheOldCallAndShareOneNewOne() throws Exception {
        ScriptedTokenClient.Hold held = expiredWithItsRefreshHeld(ok("at-2", "rt-2", 3600), ok("at-3", "rt-3", 3600));
        Future<Token> early = refreshOnTheWire(held);
        f.cache().invalidate();

        List<Future<Token>> late = new ArrayList<>();
        for (int i = 0; i < LATE_CALLERS; i++) {
            late.add(call(AccountTokenCache::token));
        }
        awaitAllParked(LATE_CALLERS + 1);
        assertEquals(2, f.client.calls(), "no second call while the first is in flight");
        held.release();

        assertEquals("at-2", early.get(10, TimeUnit.SECONDS).getAccessToken());
        for (Future<Token> result : late) {
            assertEquals("at-3", result.get(10, TimeUnit.SECONDS).getAccessToken());
        }
        assertEquals(List.of("rt-0", "rt-1", "rt-2"), f.client.sentRefreshTokens(), "one new call for all of them");
        List<String> order = f.journal.stream().filter(e -> !e.startsWith("save failed")).toList();
        assertTrue(order.indexOf("save rt-2") < order.indexOf("send rt-2"), order.toString());
    }

    @Test
    void aCallThatFailsAfterAnInvalidateLeavesTheAccountWithoutBackoff() throws Exception {
        ScriptedTokenClient.Hold held = expiredWithItsRefreshHeld(connectionRefused());
        Future<Token> early = refreshOnTheWire(held);
        f.cache().invalidate();
        held.release();

        ExecutionException failed = assertThrows(ExecutionException.class, () -> early.get(10, TimeUnit.SECONDS));
        assertInstanceOf(TokenEndpointUnavailableException.class, failed.getCause());
        assertEquals(1, f.cache().status().failures(), "the failed call is counted");
        assertNull(f.cache().status().nextAttemptAt(), "invalidate ended the backoff; the late failure does not renew it");
        assertEquals(TokenState.NO_TOKEN, f.cache().status().state());
    }

    @Test
    void anUnsavedTokenFromBeforeAnInvalidateIsSavedButNeverHandedOut() throws Exception {
        ScriptedTokenClient.Hold held = expiredWithItsRefreshHeld(ok("at-2", "rt-2", 3600), ok("at-3", "rt-3", 3600));
        f.store.failNextSaves(1);
        Future<Token> early = refreshOnTheWire(held);
        f.cache().invalidate();
        held.release();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> early.get(10, TimeUnit.SECONDS));
        assertInstanceOf(TokenStoreException.class, failed.getCause());
        assertEquals("rt-2", f.cache().state().unsaved().getRefreshToken(), "the rotated refresh token is kept");
        assertFalse(f.cache().state().unsaved().hasAccessToken());

        assertEquals("at-3", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1", "rt-2"), f.client.sentRefreshTokens());
        assertTrue(f.journal.indexOf("save rt-2") < f.journal.indexOf("send rt-2"), f.journal.toString());
        assertEquals("rt-3", f.stored().token().getRefreshToken());
    }

    // ------------------------------------------------------------------ helpers

    /** The access token has expired; the next token call gets these answers and is held at the client. */
    private ScriptedTokenClient.Hold expiredWithItsRefreshHeld(ScriptedTokenClient.Answer... answers) {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(answers);
        return f.client.hold(2);
    }

    /** A caller's refresh, once its token call is on the wire (held). */
    private Future<Token> refreshOnTheWire(ScriptedTokenClient.Hold held) throws InterruptedException {
        Future<Token> early = call(AccountTokenCache::token);
        held.awaitEntered();
        return early;
    }

    private Future<Token> call(Function<AccountTokenCache, Token> action) {
        AccountTokenCache cache = f.cache();
        return threads.submit(() -> {
            synchronized (started) {
                started.add(Thread.currentThread());
            }
            return action.apply(cache);
        });
    }

    /** Every caller started is parked (waiting for a token call): never by sleeping. */
    private void awaitAllParked(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<Thread> seen;
            synchronized (started) {
                seen = List.copyOf(started);
            }
            if (seen.size() == count && seen.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                                                                    || t.getState() == Thread.State.TIMED_WAITING)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("callers never all waited: " + seen.stream().map(Thread::getState).toList());
            }
            Thread.onSpinWait();
        }
    }
}
