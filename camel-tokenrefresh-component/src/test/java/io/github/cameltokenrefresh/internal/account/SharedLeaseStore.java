package io.github.cameltokenrefresh.internal.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.RefreshLeases;
import io.github.cameltokenrefresh.store.StaleTokenVersionException;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.Token;

/**
 * A store that several instances share, as a database is: its lease follows the contract of {@link RefreshLeases}
 * (fences, a fenced save that releases, a shared dead-token hash) with the store's own clock, so replicas can be
 * tested in one JVM. Each method is atomic, as one conditional UPDATE is.
 */
final class SharedLeaseStore extends MemoryTokenStore implements RefreshLeases {

    private final Clock databaseClock;
    private final Map<String, Row> rows = new HashMap<>();

    private static final class Row {
        String owner;
        long fence;
        Instant until;
        boolean released = true;
        String deadSha256;
        /** A holder marked that it sends the stored refresh token, and nothing was saved since. */
        boolean sending;
    }

    /** Whether leases are renewed and marked as sending, as JdbcTokenStore's are; off: a store without renewal. */
    private final boolean renews;
    /** spentRefreshToken=markDead: a spent refresh token is never sent. */
    private final boolean markDead;
    /** Where each markSending is written, in order with the token calls' journal; null: nowhere. */
    private final List<String> journal;

    /** While true, every statement fails, as with a database that went away. */
    volatile boolean down;
    /** Fails the next fenced save only: the database went away during a token call. */
    volatile boolean failNextSave;

    SharedLeaseStore(Clock databaseClock) {
        this(databaseClock, false, false, null);
    }

    /**
     * A store whose leases are renewed, as JdbcTokenStore's are.
     *
     * @param markDead as {@code spentRefreshToken=markDead}
     * @param journal  gets "markSending account" as each holder marks that it sends
     */
    SharedLeaseStore(Clock databaseClock, boolean renews, boolean markDead, List<String> journal) {
        this.databaseClock = databaseClock;
        this.renews = renews;
        this.markDead = markDead;
        this.journal = journal;
    }

    private void checkUp() {
        if (down) {
            throw new IllegalStateException("connection refused (database down)");
        }
    }

    @Override
    public StoredToken load(String provider, String account) {
        checkUp();
        return super.load(provider, account);
    }

    @Override
    public RefreshLeases leases() {
        return this;
    }

    @Override
    public synchronized RefreshLease acquire(String provider, String account, String owner, Duration hold,
                                             Duration grace) {
        checkUp();
        Row row = rows.computeIfAbsent(provider + "/" + account, k -> new Row());
        Instant now = databaseClock.instant();
        if (!row.released && !now.isAfter(row.until.plus(grace))) {
            return null;
        }
        boolean interrupted = !row.released;
        row.owner = owner;
        row.fence++;
        row.until = now.plus(hold);
        row.released = false;
        return new RefreshLease(provider, account, owner, row.fence, now, row.until, load(provider, account),
                                row.deadSha256, interrupted, interrupted && row.sending);
    }

    @Override
    public boolean renews() {
        return renews;
    }

    @Override
    public synchronized RefreshLease renew(RefreshLease lease, Duration ttl) {
        checkUp();
        Row row = rows.get(lease.provider() + "/" + lease.account());
        if (row.fence != lease.fence() || row.released) {
            throw new LeaseLostException(lease.provider(), lease.account(), lease.fence());
        }
        row.until = databaseClock.instant().plus(ttl);
        return lease.renewedUntil(row.until);
    }

    @Override
    public synchronized RefreshLease markSending(RefreshLease lease, Duration ttl) {
        RefreshLease renewed = renew(lease, ttl);
        rows.get(lease.provider() + "/" + lease.account()).sending = true;
        if (journal != null) {
            journal.add("markSending " + lease.account());
        }
        return renewed;
    }

    @Override
    public boolean sendsSpentRefreshToken() {
        return !markDead;
    }

    /** Whether the row says a holder is sending (or sent, and saved nothing since) the stored refresh token. */
    synchronized boolean sending(String provider, String account) {
        Row row = rows.get(provider + "/" + account);
        return row != null && row.sending;
    }

    @Override
    public synchronized StoredToken saveAndRelease(RefreshLease lease, Token token) {
        checkUp();
        if (failNextSave) {
            failNextSave = false;
            throw new IllegalStateException("connection reset (database down)");
        }
        Row row = rows.get(lease.provider() + "/" + lease.account());
        if (row.fence != lease.fence()) {
            throw new LeaseLostException(lease.provider(), lease.account(), lease.fence());
        }
        try {
            StoredToken saved = save(lease.provider(), lease.account(), token, lease.expectedVersion());
            row.released = true;
            row.deadSha256 = null;
            row.sending = false;
            return saved;
        } catch (StaleTokenVersionException e) {
            throw new LeaseLostException(lease.provider(), lease.account(), lease.fence());
        }
    }

    @Override
    public synchronized void release(RefreshLease lease) {
        checkUp();
        Row row = rows.get(lease.provider() + "/" + lease.account());
        if (row.fence == lease.fence()) {
            row.released = true;
        }
    }

    @Override
    public synchronized void releaseDead(RefreshLease lease, String refreshTokenSha256) {
        Row row = rows.get(lease.provider() + "/" + lease.account());
        if (row.fence != lease.fence()) {
            throw new LeaseLostException(lease.provider(), lease.account(), lease.fence());
        }
        row.deadSha256 = refreshTokenSha256;
        row.released = true;
    }

    @Override
    public synchronized RefreshLease holder(String provider, String account) {
        Row row = rows.get(provider + "/" + account);
        return row == null || row.released ? null
                : new RefreshLease(provider, account, row.owner, row.fence, null, row.until, null, null, false);
    }

    synchronized String deadSha256(String provider, String account) {
        Row row = rows.get(provider + "/" + account);
        return row == null ? null : row.deadSha256;
    }
}
