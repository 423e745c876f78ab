package io.github.cameltokenrefresh.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A point-in-time view of one provider/account for health checks, consoles and tests. Holds no token.
 * <p>
 * Built with {@link #builder(String, String)}; a counter added later is one more builder method and getter, so code
 * that reads or builds a status keeps compiling.
 */
public final class AccountStatus {

    private final String provider;
    private final String account;
    private final TokenState state;
    private final Instant at;
    private final Instant expiresAt;
    private final Instant refreshAheadFrom;
    private final Instant expiryMarginFrom;
    private final boolean usable;
    private final Instant lastRefreshAt;
    private final Instant lastFailureAt;
    private final String lastErrorType;
    private final Instant nextAttemptAt;
    private final long tokenCalls;
    private final long refreshes;
    private final long failures;
    private final Instant refreshTokenExpiresAt;
    private final boolean refreshTokenExpiring;
    private final Instant refreshTokenIssuedAt;
    private final long adoptedRefreshes;
    private final long leaseWaits;
    private final long interruptedLeases;

    private AccountStatus(Builder b) {
        this.provider = b.provider;
        this.account = b.account;
        this.state = Objects.requireNonNull(b.state, "state");
        this.at = Objects.requireNonNull(b.at, "at");
        this.expiresAt = b.expiresAt;
        this.refreshAheadFrom = b.refreshAheadFrom;
        this.expiryMarginFrom = b.expiryMarginFrom;
        this.usable = b.usable;
        this.lastRefreshAt = b.lastRefreshAt;
        this.lastFailureAt = b.lastFailureAt;
        this.lastErrorType = b.lastErrorType;
        this.nextAttemptAt = b.nextAttemptAt;
        this.tokenCalls = b.tokenCalls;
        this.refreshes = b.refreshes;
        this.failures = b.failures;
        this.refreshTokenExpiresAt = b.refreshTokenExpiresAt;
        this.refreshTokenExpiring = b.refreshTokenExpiring;
        this.refreshTokenIssuedAt = b.refreshTokenIssuedAt;
        this.adoptedRefreshes = b.adoptedRefreshes;
        this.leaseWaits = b.leaseWaits;
        this.interruptedLeases = b.interruptedLeases;
    }

    /** A status of {@code account} of {@code provider}; {@code state} and {@code at} are required. */
    public static Builder builder(String provider, String account) {
        return new Builder(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(account, "account"));
    }

    public String provider() {
        return provider;
    }

    public String account() {
        return account;
    }

    /** The token's state at {@link #at()}. */
    public TokenState state() {
        return state;
    }

    /** When the status was taken, by the provider's clock. */
    public Instant at() {
        return at;
    }

    /** When the access token expires, or null without one. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** From when the token is renewed in the background while still handed out (refreshAhead), or null. */
    public Instant refreshAheadFrom() {
        return refreshAheadFrom;
    }

    /** From when callers wait for a refresh rather than get the token (expiryMargin), or null. */
    public Instant expiryMarginFrom() {
        return expiryMarginFrom;
    }

    /** Whether a caller would be handed a working access token now, whatever the state says about refreshing it. */
    public boolean usable() {
        return usable;
    }

    public Instant lastRefreshAt() {
        return lastRefreshAt;
    }

    public Instant lastFailureAt() {
        return lastFailureAt;
    }

    /** The error type of the last failure ({@link TokenRefreshException#getErrorType()}), or null. */
    public String lastErrorType() {
        return lastErrorType;
    }

    /** When a failing account tries the token endpoint again, or null. */
    public Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    /** Requests sent to the token endpoint, successful or not. */
    public long tokenCalls() {
        return tokenCalls;
    }

    public long refreshes() {
        return refreshes;
    }

    public long failures() {
        return failures;
    }

    /** When the refresh token expires, when its lifetime is known (refreshTokenLifetime), else null. */
    public Instant refreshTokenExpiresAt() {
        return refreshTokenExpiresAt;
    }

    /** When the component first received or was given the refresh token it holds (its age), or null. */
    public Instant refreshTokenIssuedAt() {
        return refreshTokenIssuedAt;
    }

    /** Inside the refreshTokenExpiryWarning period before the refresh token's known end. */
    public boolean refreshTokenExpiring() {
        return refreshTokenExpiring;
    }

    /** Refreshes that took another instance's newer token from the store instead of calling. */
    public long adoptedRefreshes() {
        return adoptedRefreshes;
    }

    /** Refreshes that found another instance holding the refresh lease and waited. */
    public long leaseWaits() {
        return leaseWaits;
    }

    /** Leases taken over from a holder that never released them (it may have died mid-call). */
    public long interruptedLeases() {
        return interruptedLeases;
    }

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

    /** Sets what it knows; what it is not told stays null, false or zero. */
    public static final class Builder {

        private final String provider;
        private final String account;
        private TokenState state;
        private Instant at;
        private Instant expiresAt;
        private Instant refreshAheadFrom;
        private Instant expiryMarginFrom;
        private boolean usable;
        private Instant lastRefreshAt;
        private Instant lastFailureAt;
        private String lastErrorType;
        private Instant nextAttemptAt;
        private long tokenCalls;
        private long refreshes;
        private long failures;
        private Instant refreshTokenExpiresAt;
        private boolean refreshTokenExpiring;
        private Instant refreshTokenIssuedAt;
        private long adoptedRefreshes;
        private long leaseWaits;
        private long interruptedLeases;

        private Builder(String provider, String account) {
            this.provider = provider;
            this.account = account;
        }

        /** The state at {@code at}, and whether a caller would get a working access token then. */
        public Builder state(TokenState state, Instant at, boolean usable) {
            this.state = state;
            this.at = at;
            this.usable = usable;
            return this;
        }

        /** The access token's expiry and the two instants the refresh timing derives from it; each may be null. */
        public Builder expiry(Instant expiresAt, Instant refreshAheadFrom, Instant expiryMarginFrom) {
            this.expiresAt = expiresAt;
            this.refreshAheadFrom = refreshAheadFrom;
            this.expiryMarginFrom = expiryMarginFrom;
            return this;
        }

        /** The last refresh, the last failure with its error type, and the next attempt of a failing account. */
        public Builder history(Instant lastRefreshAt, Instant lastFailureAt, String lastErrorType, Instant nextAttemptAt) {
            this.lastRefreshAt = lastRefreshAt;
            this.lastFailureAt = lastFailureAt;
            this.lastErrorType = lastErrorType;
            this.nextAttemptAt = nextAttemptAt;
            return this;
        }

        public Builder tokenCalls(long tokenCalls) {
            this.tokenCalls = tokenCalls;
            return this;
        }

        public Builder refreshes(long refreshes) {
            this.refreshes = refreshes;
            return this;
        }

        public Builder failures(long failures) {
            this.failures = failures;
            return this;
        }

        /** The refresh token's known end (null when unknown), and whether it is inside the warning period. */
        /** When the refresh token held was received or given, or null. */
        public Builder refreshTokenIssuedAt(Instant refreshTokenIssuedAt) {
            this.refreshTokenIssuedAt = refreshTokenIssuedAt;
            return this;
        }

        public Builder refreshTokenExpiry(Instant refreshTokenExpiresAt, boolean refreshTokenExpiring) {
            this.refreshTokenExpiresAt = refreshTokenExpiresAt;
            this.refreshTokenExpiring = refreshTokenExpiring;
            return this;
        }

        public Builder adoptedRefreshes(long adoptedRefreshes) {
            this.adoptedRefreshes = adoptedRefreshes;
            return this;
        }

        public Builder leaseWaits(long leaseWaits) {
            this.leaseWaits = leaseWaits;
            return this;
        }

        public Builder interruptedLeases(long interruptedLeases) {
            this.interruptedLeases = interruptedLeases;
            return this;
        }

        public AccountStatus build() {
            return new AccountStatus(this);
        }
    }
}
