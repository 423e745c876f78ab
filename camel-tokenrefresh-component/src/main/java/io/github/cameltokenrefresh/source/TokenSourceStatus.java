package io.github.cameltokenrefresh.source;

import java.time.Instant;

/** A point-in-time view of one provider/account for health checks, consoles and tests. Holds no token. */
public final class TokenSourceStatus {

    public enum State {
        /** A token is held and outside its refresh-ahead window. */
        FRESH,
        /** A token is held, still handed out, and due for a background refresh. */
        REFRESH_AHEAD,
        /** No access token is held yet (nothing refreshed since start or since invalidate). */
        NO_TOKEN,
        /** The access token has expired (within the expiry margin) and no refresh has run yet. */
        EXPIRED,
        /** The last refresh failed with a retriable error; backing off. */
        FAILING,
        /** The refresh token was refused (invalid_grant): re-authorization needed. */
        DEAD
    }

    private final String provider;
    private final String account;
    private final State state;
    private final Instant expiresAt;
    private final Instant lastRefreshAt;
    private final Instant lastFailureAt;
    private final String lastErrorType;
    private final Instant nextAttemptAt;
    private final long tokenCalls;
    private final long refreshes;
    private final long failures;
    private final Instant refreshTokenExpiresAt;
    private final boolean refreshTokenExpiring;

    public TokenSourceStatus(String provider, String account, State state, Instant expiresAt, Instant lastRefreshAt,
                             Instant lastFailureAt, String lastErrorType, Instant nextAttemptAt, long tokenCalls,
                             long refreshes, long failures, Instant refreshTokenExpiresAt, boolean refreshTokenExpiring) {
        this.refreshTokenExpiresAt = refreshTokenExpiresAt;
        this.refreshTokenExpiring = refreshTokenExpiring;
        this.provider = provider;
        this.account = account;
        this.state = state;
        this.expiresAt = expiresAt;
        this.lastRefreshAt = lastRefreshAt;
        this.lastFailureAt = lastFailureAt;
        this.lastErrorType = lastErrorType;
        this.nextAttemptAt = nextAttemptAt;
        this.tokenCalls = tokenCalls;
        this.refreshes = refreshes;
        this.failures = failures;
    }

    public String getProvider() {
        return provider;
    }

    public String getAccount() {
        return account;
    }

    public State getState() {
        return state;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getLastRefreshAt() {
        return lastRefreshAt;
    }

    public Instant getLastFailureAt() {
        return lastFailureAt;
    }

    public String getLastErrorType() {
        return lastErrorType;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    /** Requests sent to the token endpoint, successful or not. */
    public long getTokenCalls() {
        return tokenCalls;
    }

    public long getRefreshes() {
        return refreshes;
    }

    public long getFailures() {
        return failures;
    }

    /** When the refresh token expires, when its lifetime is known (refreshTokenLifetime); else null. */
    public Instant getRefreshTokenExpiresAt() {
        return refreshTokenExpiresAt;
    }

    /** True inside the refreshTokenExpiryWarning period before the refresh token's known end. */
    public boolean isRefreshTokenExpiring() {
        return refreshTokenExpiring;
    }

    @Override
    public String toString() {
        return "TokenSourceStatus[provider=" + provider + ", account=" + account + ", state=" + state + ", expiresAt="
               + expiresAt + (refreshTokenExpiresAt == null ? "" : ", refreshTokenExpiresAt=" + refreshTokenExpiresAt)
               + ", lastRefreshAt=" + lastRefreshAt + ", lastErrorType=" + lastErrorType + ", tokenCalls="
               + tokenCalls + ", refreshes=" + refreshes + ", failures=" + failures + "]";
    }
}
