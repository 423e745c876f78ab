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
 * @param refreshAheadJitter   whether each account begins its refresh-ahead at a point of its own in the window
 * @param jitterSeed           the account's share of that point ({@link #forAccount}); 0 in a provider's policy
 */
public record RefreshPolicy(Duration expiryMargin, Duration refreshAhead, Duration backoffInitialDelay,
                            Duration backoffMaxDelay, Duration refreshTokenLifetime, Duration refreshTokenExpiryWarning,
                            boolean refreshAheadJitter, long jitterSeed) {

    public RefreshPolicy(Duration expiryMargin, Duration refreshAhead, Duration backoffInitialDelay,
                         Duration backoffMaxDelay, Duration refreshTokenLifetime, Duration refreshTokenExpiryWarning) {
        this(expiryMargin, refreshAhead, backoffInitialDelay, backoffMaxDelay, refreshTokenLifetime,
             refreshTokenExpiryWarning, false, 0);
    }

    /** The longest pause a Retry-After can impose. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    public RefreshPolicy(Duration expiryMargin, Duration refreshAhead, Duration backoffInitialDelay,
                         Duration backoffMaxDelay) {
        this(expiryMargin, refreshAhead, backoffInitialDelay, backoffMaxDelay, null, Duration.ZERO);
    }

    /** When the token's refresh token expires, or null when its lifetime is unknown. */
    public Instant refreshTokenExpiresAt(Token token) {
        if (token == null || token.getRefreshToken() == null) {
            return null;
        }
        Instant reported = token.getRefreshTokenExpiresAt();
        Instant configured = refreshTokenLifetime == null || token.getRefreshTokenIssuedAt() == null
                ? null : token.getRefreshTokenIssuedAt().plus(refreshTokenLifetime);
        if (reported == null || configured == null) {
            return reported != null ? reported : configured;
        }
        return reported.isBefore(configured) ? reported : configured; // whichever ends first ends it
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

    /** This policy for one account: with jitter, its seed comes from the provider and account names. */
    public RefreshPolicy forAccount(String provider, String account) {
        if (!refreshAheadJitter) {
            return this;
        }
        long seed = 1125899906842597L;
        for (char c : (provider + '\0' + account).toCharArray()) {
            seed = 31 * seed + c;
        }
        return new RefreshPolicy(expiryMargin, refreshAhead, backoffInitialDelay, backoffMaxDelay, refreshTokenLifetime,
                                 refreshTokenExpiryWarning, true, mix(seed));
    }

    /**
     * When the refresh-ahead of a token expiring at {@code expiresAt} begins (epoch millis). Without jitter at the
     * window's start ({@link #refreshAheadMillis} before expiry); with it, at a point in the first half of the window
     * between that start and the blocking margin ({@link #expiryMarginMillis}), fixed by the account and the token's
     * issue time: accounts onboarded together spread out, and the second half stays for the refresh and its retries.
     *
     * @param issuedAt null when unknown (the expiry is used instead)
     */
    public long refreshAheadFrom(long expiresAt, Duration lifetime, Instant issuedAt) {
        long start = expiresAt - refreshAheadMillis(lifetime);
        long span = (expiresAt - expiryMarginMillis(lifetime) - start) / 2;
        if (!refreshAheadJitter || span <= 0) {
            return start;
        }
        long salt = issuedAt != null ? issuedAt.toEpochMilli() : expiresAt;
        return start + Math.floorMod(mix(jitterSeed ^ salt), span);
    }

    /** SplitMix64's finalizer: neighbouring inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
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
