package io.github.cameltokenrefresh.store;

import java.time.Instant;

/**
 * The right, held by one owner at a time, to send an account's refresh token to the token endpoint and to save what
 * comes back. Taken before a token call and released by the fenced save ({@link RefreshLeases#saveAndRelease}); every
 * acquisition gets a larger fencing number, so a holder whose lease expired can never overwrite its successor's save.
 * Times are the store's clock (a database's {@code now()}), never the caller's.
 *
 * @param owner                    who holds it (an instance id; for forensics only)
 * @param fence                    the fencing number of this acquisition
 * @param acquiredAt               when it was taken, by the store's clock
 * @param until                    when it expires unless released, by the store's clock
 * @param current                  the record as it was when the lease was taken, or null when there is none
 * @param deadRefreshTokenSha256   the SHA-256 (hex) of a refresh token some holder found refused (invalid_grant), or
 *                                 null: never send a refresh token with this hash
 * @param interrupted              whether the previous lease expired without being released: its holder may have
 *                                 sent the stored refresh token and died before saving the answer
 * @param spent                    whether the store knows more: the previous holder marked that it was sending the
 *                                 stored refresh token ({@link RefreshLeases#markSending}) and never saved, so the
 *                                 provider has most likely rotated it away already
 */
public record RefreshLease(String provider, String account, String owner, long fence, Instant acquiredAt, Instant until,
                           StoredToken current, String deadRefreshTokenSha256, boolean interrupted, boolean spent) {

    /** A lease of a store that cannot tell whether an interrupted holder had sent the refresh token. */
    public RefreshLease(String provider, String account, String owner, long fence, Instant acquiredAt, Instant until,
                        StoredToken current, String deadRefreshTokenSha256, boolean interrupted) {
        this(provider, account, owner, fence, acquiredAt, until, current, deadRefreshTokenSha256, interrupted, false);
    }

    /** The same lease, renewed until {@code renewedUntil} by the store's clock. */
    public RefreshLease renewedUntil(Instant renewedUntil) {
        return new RefreshLease(provider, account, owner, fence, acquiredAt, renewedUntil, current,
                                deadRefreshTokenSha256, interrupted, spent);
    }

    /** The version a fenced save must find: the record's, or 0 when there is none. */
    public long expectedVersion() {
        return current == null ? 0 : current.version();
    }

    /** Never a token. */
    @Override
    public String toString() {
        return "RefreshLease[" + provider + "/" + account + ", owner=" + owner + ", fence=" + fence + ", until=" + until
               + ", version=" + expectedVersion() + (interrupted ? ", interrupted" : "") + (spent ? ", spent" : "") + "]";
    }
}
