package io.github.cameltokenrefresh.internal.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.RefreshLeases;
import io.github.cameltokenrefresh.store.StaleTokenVersionException;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.Token;

/**
 * The refresh lease of a store that offers none (memory, file, most users' own): held in this JVM only, which is
 * all such a store can coordinate. A save is the store's compare-and-set, repeated on top of a newer record as
 * before leases existed: within one process only a person or an uncoordinated process writes in between, and the
 * token endpoint has just accepted our refresh token, so ours is the newest.
 */
final class LocalRefreshLeases implements RefreshLeases {

    private final TokenStore store;
    private final Clock clock;
    private final AtomicLong fences = new AtomicLong();
    private final Map<String, RefreshLease> held = new ConcurrentHashMap<>();

    LocalRefreshLeases(TokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private static String key(String provider, String account) {
        return provider + "\u0000" + account;
    }

    @Override
    public RefreshLease acquire(String provider, String account, String owner, Duration hold, Duration grace) {
        Instant now = clock.instant();
        RefreshLease[] taken = new RefreshLease[1];
        held.compute(key(provider, account), (k, current) -> {
            if (current != null && !now.isAfter(current.until().plus(grace))) {
                return current;
            }
            taken[0] = new RefreshLease(provider, account, owner, fences.incrementAndGet(), now, now.plus(hold),
                                        store.load(provider, account), null, current != null);
            return taken[0];
        });
        return taken[0];
    }

    @Override
    public StoredToken saveAndRelease(RefreshLease lease, Token token) {
        try {
            try {
                return store.save(lease.provider(), lease.account(), token, lease.expectedVersion());
            } catch (StaleTokenVersionException e) {
                return store.save(lease.provider(), lease.account(), token, e.getActualVersion());
            }
        } finally {
            release(lease);
        }
    }

    @Override
    public void release(RefreshLease lease) {
        // by fence: the map holds the latest renewal of the lease, not necessarily this value
        held.computeIfPresent(key(lease.provider(), lease.account()),
                              (k, current) -> current.fence() == lease.fence() ? null : current);
    }

    @Override
    public void releaseDead(RefreshLease lease, String refreshTokenSha256) {
        // the account's own state remembers the dead refresh token: nobody else in this JVM sends it
        release(lease);
    }

    /** Yes, by this JVM's clock: so a holder stuck past its work time loses the lease as a dead replica's would. */
    @Override
    public boolean renews() {
        return true;
    }

    @Override
    public RefreshLease renew(RefreshLease lease, Duration ttl) {
        RefreshLease[] renewed = new RefreshLease[1];
        held.computeIfPresent(key(lease.provider(), lease.account()), (k, current) -> current.fence() != lease.fence()
                ? current : (renewed[0] = lease.renewedUntil(clock.instant().plus(ttl))));
        if (renewed[0] == null) {
            throw new LeaseLostException(lease.provider(), lease.account(), lease.fence());
        }
        return renewed[0];
    }

    @Override
    public RefreshLease holder(String provider, String account) {
        return held.get(key(provider, account));
    }

    @Override
    public String toString() {
        return "LocalRefreshLeases[" + store + "]";
    }
}
