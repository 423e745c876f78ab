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

    /** Who holds the account's lease and until when, for monitoring; null when nobody does. */
    RefreshLease holder(String provider, String account);
}
