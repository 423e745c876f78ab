package io.github.cameltokenrefresh.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import io.github.cameltokenrefresh.token.Token;

/**
 * When to refresh, and how long to wait after a failure. Margins are capped by a share of the token's lifetime so the
 * same defaults suit a 5-minute token and a 24-hour one: the expiry margin is at most 10% of the lifetime and the
 * refresh-ahead window at most 25%. Components are named after the options they come from.
 *
 * @param refreshTokenLifetime null when unknown
 */
public record RefreshPolicy(Duration expiryMargin, Duration refreshAhead, Duration backoffInitialDelay,
                            Duration backoffMaxDelay, Duration refreshTokenLifetime, Duration refreshTokenExpiryWarning) {

    /** The longest pause a Retry-After can impose. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    public RefreshPolicy(Duration expiryMargin, Duration refreshAhead, Duration backoffInitialDelay,
                         Duration backoffMaxDelay) {
        this(expiryMargin, refreshAhead, backoffInitialDelay, backoffMaxDelay, null, Duration.ZERO);
    }

    /** When the token's refresh token expires, or null when its lifetime is unknown. */
    public Instant refreshTokenExpiresAt(Token token) {
        if (refreshTokenLifetime == null || token == null || token.getRefreshToken() == null
            || token.getRefreshTokenIssuedAt() == null) {
            return null;
        }
        return token.getRefreshTokenIssuedAt().plus(refreshTokenLifetime);
    }

    /** Whether the refresh token is inside its expiry-warning period at {@code now}. */
    public boolean isRefreshTokenExpiring(Token token, Instant now) {
        Instant end = refreshTokenExpiresAt(token);
        return end != null && !now.isBefore(end.minus(refreshTokenExpiryWarning));
    }

    /** A token with less than this left is treated as expired: callers wait for a refresh. */
    public long expiryMarginMillis(Duration lifetime) {
        return Math.min(expiryMargin.toMillis(), lifetime.toMillis() / 10);
    }

    /**
     * A token with less than this left is still handed out, while one background refresh runs. Never smaller than the
     * expiry margin.
     */
    public long refreshAheadMillis(Duration lifetime) {
        return Math.max(expiryMarginMillis(lifetime), Math.min(refreshAhead.toMillis(), lifetime.toMillis() / 4));
    }

    /**
     * The pause before attempt {@code failures + 1}: exponential from the initial delay, capped, with jitter in the
     * upper half so instances that failed together do not retry together; never shorter than the server's
     * Retry-After.
     */
    public long backoffMillis(int failures, Duration retryAfter) {
        double exponential = backoffInitialDelay.toMillis() * Math.pow(2, Math.max(0, failures - 1));
        long capped = (long) Math.min(exponential, backoffMaxDelay.toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        if (retryAfter == null) {
            return jittered;
        }
        // a server asking for more than a day is broken rather than busy; and Duration.toMillis() overflows
        long retryAfterMillis = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER.toMillis() : retryAfter.toMillis();
        return Math.max(jittered, retryAfterMillis);
    }
}
