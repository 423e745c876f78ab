package io.github.cameltokenrefresh.internal.account;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease side of the store contract for the stores without a lease of their own (memory and file): the lease the
 * component keeps for them in this JVM gives one holder at a time, a larger fence on every acquisition, a takeover
 * only after hold and grace that says it was interrupted, and a release that frees only its own lease; its save is the
 * store's, on top of a newer record, and releases. The JDBC store's lease: JdbcRefreshLeaseTest, on three databases.
 */
class LocalRefreshLeasesTest {

    private static final Duration HOLD = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private TokenStore store(String kind) {
        return kind.equals("memory") ? new MemoryTokenStore() : new FileTokenStore(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = { "memory", "file" })
    void oneHolderAtATimeTakeoverAfterHoldAndGraceSaysInterrupted(String kind) {
        TokenStore store = store(kind);
        store.save("p", "a", Token.ofRefreshToken("rt-0", clock.instant()), 0);
        LocalRefreshLeases leases = new LocalRefreshLeases(store, clock);

        RefreshLease first = leases.acquire("p", "a", "one", HOLD, GRACE);
        assertFalse(first.interrupted());
        assertEquals(1, first.expectedVersion(), "the record as it was when the lease was taken");
        assertEquals("rt-0", first.current().token().getRefreshToken());
        assertNull(leases.acquire("p", "a", "two", HOLD, GRACE), "held");
        clock.advance(HOLD.plus(GRACE));
        assertNull(leases.acquire("p", "a", "two", HOLD, GRACE), "not before hold and grace have passed");
        assertSame(first, leases.holder("p", "a"));

        clock.advance(Duration.ofMillis(1));
        RefreshLease second = leases.acquire("p", "a", "two", HOLD, GRACE);
        assertTrue(second.interrupted(), "taken over from a holder that never released");
        assertTrue(second.fence() > first.fence());
        leases.release(first);
        assertSame(second, leases.holder("p", "a"), "a stale release does not free the successor's lease");

        assertEquals(2, leases.saveAndRelease(second, Token.ofRefreshToken("rt-1", clock.instant())).version());
        assertNull(leases.holder("p", "a"), "the save released");
        assertEquals("rt-1", store.load("p", "a").token().getRefreshToken());
        RefreshLease third = leases.acquire("p", "a", "one", HOLD, GRACE);
        assertFalse(third.interrupted(), "the previous lease was released");
        assertTrue(third.fence() > second.fence());
        assertEquals(2, third.expectedVersion());
    }

    @ParameterizedTest
    @ValueSource(strings = { "memory", "file" })
    void aSaveLandsOnTopOfARecordWrittenMeanwhileAndReleasesEvenADeadOne(String kind) {
        TokenStore store = store(kind);
        LocalRefreshLeases leases = new LocalRefreshLeases(store, clock);
        RefreshLease lease = leases.acquire("p", "a", "one", HOLD, GRACE);
        assertNull(lease.current(), "a lease on an account with no record");
        store.save("p", "a", Token.ofRefreshToken("rt-person", clock.instant()), 0); // a person, meanwhile

        assertEquals(2, leases.saveAndRelease(lease, Token.ofRefreshToken("rt-1", clock.instant())).version(),
                     "the token endpoint just accepted our refresh token: ours is the newest");
        assertEquals("rt-1", store.load("p", "a").token().getRefreshToken());

        RefreshLease dead = leases.acquire("p", "a", "one", HOLD, GRACE);
        leases.releaseDead(dead, "0".repeat(64));
        assertNull(leases.holder("p", "a"));
        assertEquals("rt-1", store.load("p", "a").token().getRefreshToken(), "releaseDead writes nothing here");
    }
}
