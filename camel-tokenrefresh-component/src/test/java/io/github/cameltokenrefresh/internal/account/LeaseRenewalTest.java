package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;

import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-JVM lease of the memory and file stores renews as the JDBC store's does, by the provider's clock (here a
 * {@link MutableClock}): renewed by fence, lost once taken over, released by fence after renewals; and
 * {@link TokenPersistence} keeps a held lease renewed on its renewal thread until the save, then stops.
 */
class LeaseRenewalTest {

    private static final Duration TTL = Duration.ofSeconds(4);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void theLocalLeaseIsRenewedByFenceAndLostOnceTakenOver() {
        LocalRefreshLeases leases = new LocalRefreshLeases(new MemoryTokenStore(), clock);
        assertTrue(leases.renews());
        RefreshLease first = leases.acquire("p", "a", "one", TTL, Duration.ZERO);
        clock.advance(Duration.ofSeconds(3));
        RefreshLease renewed = leases.renew(first, TTL);
        assertEquals(clock.instant().plus(TTL), renewed.until());
        assertEquals(first.fence(), renewed.fence());

        clock.advance(Duration.ofSeconds(3)); // past the first end, not past the renewed one
        assertNull(leases.acquire("p", "a", "two", TTL, Duration.ZERO), "a renewed lease is not taken over");
        leases.release(first); // the holder's own value from before the renewals: released by fence
        assertNull(leases.holder("p", "a"));

        RefreshLease second = leases.acquire("p", "a", "two", TTL, Duration.ZERO);
        clock.advance(Duration.ofSeconds(5)); // its holder stopped renewing
        RefreshLease third = leases.acquire("p", "a", "three", TTL, Duration.ZERO);
        assertNotNull(third);
        assertTrue(third.interrupted());
        assertThrows(LeaseLostException.class, () -> leases.renew(second, TTL), "taken over: no renewal");
    }

    @Test
    void aHeldLeaseIsRenewedInTheBackgroundUntilItsSave() {
        MemoryTokenStore store = new MemoryTokenStore();
        store.save("p", "a", Token.ofRefreshToken("rt-0", clock.instant()), 0);
        TokenPersistence persistence = new TokenPersistence("p", store, clock, Duration.ofMinutes(1), Duration.ZERO,
                                                            TTL, Duration.ofMillis(20));
        try {
            RefreshLease lease = persistence.acquire("a");
            Instant firstEnd = lease.until();
            clock.advance(Duration.ofSeconds(2));
            // the renewal thread moves the lease's end on by the provider's clock
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> persistence.activity().held().get(0).until().isAfter(firstEnd));
            assertEquals(clock.instant().plus(TTL), persistence.holder("a").until());
            assertTrue(persistence.renewalStatements() > 0);

            persistence.beforeSending(lease); // ours: no exception
            persistence.saveAndRelease(lease, Token.ofRefreshToken("rt-1", clock.instant()));
            assertNull(persistence.holder("a"), "released by fence although renewed since");
            RefreshLease next = persistence.acquire("a");
            assertTrue(next.fence() > lease.fence(), "a new lease after the save");
            persistence.release(next);
        } finally {
            persistence.close();
        }
    }
}
