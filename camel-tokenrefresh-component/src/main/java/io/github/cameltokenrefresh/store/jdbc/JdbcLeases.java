package io.github.cameltokenrefresh.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.Token;

/**
 * The refresh lease of {@link JdbcTokenStore}, kept in the same row as the record: acquire, renew and mark sending,
 * save and release, release, the dead refresh token, the holder. Lease times come from the database clock. The store
 * implements {@code RefreshLeases} by delegating here, so the lease changes apart from the bean and the record.
 */
final class JdbcLeases {

    private final JdbcDatabase database;

    JdbcLeases(JdbcDatabase database) {
        this.database = database;
    }

    RefreshLease acquire(String provider, String account, String owner, Duration hold, Duration grace) {
        JdbcTokenStore.key(provider, account);
        JdbcTokenStore.name("owner", owner);
        if (hold == null || hold.toMillis() <= 0 || grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("lease hold must be at least 1 ms and grace not negative, were " + hold
                                               + " and " + grace);
        }
        return database.run("acquire the lease of", provider, account, false, (c, s) -> {
            RefreshLease lease = s.tryAcquire(c, provider, account, owner, hold.toMillis(), grace.toMillis());
            if (lease != null) {
                return lease;
            }
            // no row, or the lease is held: create the slot if there is none (a no-op otherwise) and try once more
            s.insert(c, s.sql().insertSlot, provider, account, owner);
            return s.tryAcquire(c, provider, account, owner, hold.toMillis(), grace.toMillis());
        });
    }

    StoredToken saveAndRelease(RefreshLease lease, Token token) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(token, "token");
        String provider = lease.provider();
        String account = lease.account();
        long next = lease.expectedVersion() + 1;
        return database.run("save and release the lease of", provider, account, true, (c, s) -> {
            byte[] record = s.rows().record(provider, account, token, next);
            if (JdbcDatabase.update(c, s.sql().saveAndRelease, record, JdbcRows.expiresAt(token),
                                    JdbcRows.issuedAt(token), next, lease.owner(),
                                    JdbcRows.sha256(token.getRefreshToken()), provider, account,
                                    lease.expectedVersion(), lease.fence()) != 1) {
                throw new LeaseLostException(provider, account, lease.fence());
            }
            return new StoredToken(token, next);
        });
    }

    void release(RefreshLease lease) {
        Objects.requireNonNull(lease, "lease");
        database.run("release the lease of", lease.provider(), lease.account(), false,
                     (c, s) -> JdbcDatabase.update(c, s.sql().release, lease.provider(), lease.account(), lease.fence()));
    }

    void releaseDead(RefreshLease lease, String refreshTokenSha256) {
        Objects.requireNonNull(lease, "lease");
        String hash = JdbcRows.deadHash(refreshTokenSha256);
        database.run("record the dead refresh token of", lease.provider(), lease.account(), false, (c, s) -> {
            if (JdbcDatabase.update(c, s.sql().releaseDead, hash, lease.owner(), lease.provider(), lease.account(),
                                    lease.fence()) != 1) {
                throw new LeaseLostException(lease.provider(), lease.account(), lease.fence());
            }
            return null;
        });
    }

    RefreshLease renew(RefreshLease lease, Duration ttl) {
        return renew(lease, ttl, false);
    }

    RefreshLease markSending(RefreshLease lease, Duration ttl) {
        return renew(lease, ttl, true);
    }

    private RefreshLease renew(RefreshLease lease, Duration ttl, boolean sending) {
        Objects.requireNonNull(lease, "lease");
        if (ttl == null || ttl.toMillis() <= 0) {
            throw new IllegalArgumentException("lease ttl must be at least 1 ms, was " + ttl);
        }
        Long until = database.run("renew the lease of", lease.provider(), lease.account(), false,
                                  (c, s) -> s.renew(c, sending ? s.sql().markSending : s.sql().renew, lease.provider(),
                                                    lease.account(), lease.fence(), ttl.toMillis()));
        if (until == null) {
            throw new LeaseLostException(lease.provider(), lease.account(), lease.fence());
        }
        return lease.renewedUntil(Instant.ofEpochMilli(until));
    }

    RefreshLease holder(String provider, String account) {
        JdbcTokenStore.key(provider, account);
        return database.run("read the lease of", provider, account, false, (c, s) -> {
            try (PreparedStatement ps = c.prepareStatement(s.sql().holder)) {
                JdbcDatabase.bind(ps, provider, account);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? JdbcRows.holder(provider, account, rs) : null;
                }
            }
        });
    }
}
