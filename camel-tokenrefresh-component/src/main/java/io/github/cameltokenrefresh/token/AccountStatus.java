package io.github.cameltokenrefresh.token;

import java.time.Instant;

/**
 * A point-in-time view of one provider/account for health checks, consoles and tests. Holds no token.
 *
 * @param state                 the token's state at {@code at}
 * @param at                    when the status was taken, by the provider's clock
 * @param expiresAt             when the access token expires, or null without one
 * @param refreshAheadFrom      from when the token is renewed in the background while still handed out (refreshAhead),
 *                              or null without an access token
 * @param expiryMarginFrom      from when callers wait for a refresh rather than get the token (expiryMargin), or null
 * @param usable                whether a caller would be handed a working access token now (it has not expired,
 *                              whatever the state says about refreshing it)
 * @param nextAttemptAt         when a failing account tries the token endpoint again, or null
 * @param tokenCalls            requests sent to the token endpoint, successful or not
 * @param refreshTokenExpiresAt when the refresh token expires, when its lifetime is known (refreshTokenLifetime)
 * @param refreshTokenExpiring  inside the refreshTokenExpiryWarning period before the refresh token's known end
 * @param adoptedRefreshes      refreshes that took another instance's newer token from the store instead of calling
 * @param leaseWaits            refreshes that found another instance holding the refresh lease and waited
 * @param interruptedLeases     leases taken over from a holder that never released them (it may have died mid-call)
 */
public record AccountStatus(String provider, String account, TokenState state, Instant at, Instant expiresAt,
                            Instant refreshAheadFrom, Instant expiryMarginFrom, boolean usable, Instant lastRefreshAt, Instant lastFailureAt, String lastErrorType,
                            Instant nextAttemptAt, long tokenCalls, long refreshes, long failures,
                            Instant refreshTokenExpiresAt, boolean refreshTokenExpiring, long adoptedRefreshes,
                            long leaseWaits, long interruptedLeases) {

    /** No working token now and none coming without help: what makes a provider's readiness DOWN. */
    public boolean isDown() {
        return state == TokenState.DEAD || (state == TokenState.FAILING && !usable);
    }

    @Override
    public String toString() {
        return "AccountStatus[provider=" + provider + ", account=" + account + ", state=" + state + ", expiresAt="
               + expiresAt + (refreshTokenExpiresAt == null ? "" : ", refreshTokenExpiresAt=" + refreshTokenExpiresAt)
               + ", lastRefreshAt=" + lastRefreshAt + ", lastErrorType=" + lastErrorType + ", tokenCalls="
               + tokenCalls + ", refreshes=" + refreshes + ", failures=" + failures
               + (adoptedRefreshes + leaseWaits + interruptedLeases == 0 ? "" : ", adoptedRefreshes=" + adoptedRefreshes
                  + ", leaseWaits=" + leaseWaits + ", interruptedLeases=" + interruptedLeases) + "]";
    }
}
