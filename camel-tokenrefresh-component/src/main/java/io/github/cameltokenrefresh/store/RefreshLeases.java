package io.github.cameltokenrefresh.store;

import java.time.Duration;

import io.github.cameltokenrefresh.token.Token;

/**
 * Coordinates refreshes of one account across every process sharing a store, so that only one of them ever sends a
 * given refresh token. A store that several processes share implements it ({@link TokenStore#leases()}); for the
 * others the component keeps the lease in its own JVM.
 * <p>
 * Each method is one short statement against the store: no connection or transaction is held between them, in
 * particular not during the token call.
 */
public interface RefreshLeases {

    /**
     * Takes the account's lease for {@code hold}, if it is free or its holder's lease expired more than {@code grace}
     * ago (so a slow save is not overtaken); creates the account's record slot when there is none.
     *
     * @return the lease, or null when another owner holds it
     */
    RefreshLease acquire(String provider, String account, String owner, Duration hold, Duration grace);

    /**
     * Saves the token if the record still has the lease's version and the lease's fence, and releases the lease, in
     * one step; clears a recorded dead refresh token, unless the saved token carries that very refresh token.
     *
     * @return the record as stored, with its new version
     * @throws LeaseLostException when the version or the fence changed: another owner took over; nothing was written
     */
    StoredToken saveAndRelease(RefreshLease lease, Token token);

    /** Releases the lease without saving (the holder adopted someone else's token, or gave up). */
    void release(RefreshLease lease);

    /**
     * Records that the refresh token with this SHA-256 (lowercase hex of its UTF-8 bytes) was refused (invalid_grant),
     * so no owner sends it again, and releases the lease.
     *
     * @throws LeaseLostException when the fence changed
     */
    void releaseDead(RefreshLease lease, String refreshTokenSha256);

    /**
     * Whether this store renews leases ({@link #renew}, {@link #markSending}). A store that does is given a short TTL
     * at {@link #acquire} and kept renewed while its holder works, so a dead holder's lease ends within seconds; one
     * that does not is given the holder's whole work time (token call deadline and save), as a lease that must last
     * without renewal.
     */
    default boolean renews() {
        return false;
    }

    /**
     * Extends a lease its holder still has to {@code ttl} from now by the store's clock: one short statement, run
     * about every second while the holder works. Works on a lease past its end as long as nobody took it over (the
     * fence is unchanged and it was not released).
     *
     * @return the lease with its new {@code until}
     * @throws LeaseLostException when the fence changed or the lease was released: the holder must not send or save
     */
    default RefreshLease renew(RefreshLease lease, Duration ttl) {
        throw new UnsupportedOperationException(getClass().getName() + " does not renew refresh leases");
    }

    /**
     * As {@link #renew}, right before the holder sends the stored refresh token: also records that it is being sent,
     * so a successor that takes this lease over unreleased learns that the refresh token is spent
     * ({@link RefreshLease#spent()}), not only that it may be. The default only renews.
     */
    default RefreshLease markSending(RefreshLease lease, Duration ttl) {
        return renew(lease, ttl);
    }

    /**
     * What a successor does with a stored refresh token the store knows is spent ({@link RefreshLease#spent()}: its
     * holder died after sending it): true (the default) sends it anyway, which a provider with a reuse grace period
     * accepts; false marks the account dead without sending it, for a provider that would revoke the whole grant on
     * the reuse (and with it other sessions of that grant).
     */
    default boolean sendsSpentRefreshToken() {
        return true;
    }

    /** Who holds the account's lease and until when, for monitoring; null when nobody does. */
    RefreshLease holder(String provider, String account);
}
