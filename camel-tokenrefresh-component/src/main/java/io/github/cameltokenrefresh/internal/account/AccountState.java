package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.token.AccountDisconnectedException;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenState;

/**
 * Everything that decides what happens to one account's token, as one immutable value: the token with the instants
 * that decide its fate (epoch millis, precomputed so the hot path compares two longs), what the store holds, and
 * whether the account is failing or dead. {@link #phase} and {@link #next} are the only rules that read it; every
 * change makes a new value.
 *
 * @param token                  the token handed out, or null when none is held
 * @param loaded                 whether the store was read since start or since invalidate
 * @param storedVersion          the version of the record this state was read from or saved as
 * @param unsaved                a token the provider issued that could not be saved yet: it is saved before anything
 *                               else, because it may hold the only valid refresh token
 * @param failure                the retriable failure being backed off from, or null
 * @param dead                   the invalid_grant that killed the refresh token, or null
 * @param deadRefreshToken       a refresh token known to be refused, never sent again
 * @param invalidatedAccessToken an access token the user declared bad: never taken back from the store
 * @param bootstrapTried         whether the configured refresh token was already tried since start
 * @param warnedRefreshToken     the refresh token whose coming expiry was already warned about
 * @param epoch                  how many times the account was invalidated: a refresh that began in an earlier epoch
 *                               never makes its access token the account's (see {@link AccountTokenCache#invalidate})
 */
record AccountState(Token token, long refreshAheadFrom, long usableUntil, long expiresAt, boolean loaded,
                    long storedVersion, Token unsaved, Failure failure, InvalidGrantException dead,
                    String deadRefreshToken, String invalidatedAccessToken, boolean bootstrapTried,
                    String warnedRefreshToken, int epoch) {

    private static final long NEVER = Long.MIN_VALUE;

    static final AccountState EMPTY
            = new AccountState(null, NEVER, NEVER, NEVER, false, 0, null, null, null, null, null, false, null, 0);

    /** A retriable failure: how many in a row, and when the token endpoint may be asked again. */
    record Failure(TokenRefreshException cause, int attempts, Instant nextAttempt) {
    }

    /** What a caller does about the token. */
    enum Step {
        /** hand out the current token */
        SERVE,
        /** hand it out, and let one background refresh renew it */
        SERVE_AND_RENEW,
        /** refresh (or join the refresh under way) and wait for it */
        RENEW_AND_WAIT,
        /** fail at once: dead, or backing off without a valid token */
        REFUSE
    }

    /** The state of the token at {@code now}, as status, health, JMX and metrics report it. */
    TokenState phase(long now) {
        if (dead != null) {
            return TokenState.DEAD;
        }
        if (!hasAccessToken()) {
            return failure != null ? TokenState.FAILING : TokenState.NO_TOKEN;
        }
        if (now < refreshAheadFrom) {
            return TokenState.FRESH;
        }
        if (failure != null) {
            return TokenState.FAILING;
        }
        return now < usableUntil ? TokenState.REFRESH_AHEAD : TokenState.EXPIRED;
    }

    /**
     * What a caller asking for a token at {@code now} does. A fresh token is served whatever else is wrong; inside
     * the refresh-ahead window it is served while one background refresh runs, unless the caller wants to wait
     * ({@code waitInsideWindow}); a dead or backing-off account serves a token that has not truly expired and
     * refuses otherwise.
     */
    Step next(long now, boolean waitInsideWindow) {
        return next(now, waitInsideWindow, false);
    }

    /** The same, when the provider's token endpoint may also be paused for every account. */
    Step next(long now, boolean waitInsideWindow, boolean endpointPaused) {
        if (now < refreshAheadFrom) {
            return Step.SERVE;
        }
        boolean blocked = endpointPaused || blockedAt(now);
        if (!waitInsideWindow && now < usableUntil) {
            return blocked ? Step.SERVE : Step.SERVE_AND_RENEW;
        }
        if (blocked) {
            return validAt(now) ? Step.SERVE : Step.REFUSE;
        }
        return Step.RENEW_AND_WAIT;
    }

    /** Dead, or backing off: no token call may be made at {@code now}. */
    boolean blockedAt(long now) {
        return dead != null || (failure != null && now < failure.nextAttempt().toEpochMilli());
    }

    /** The access token still works at {@code now}, even if it is inside its expiry margin. */
    boolean validAt(long now) {
        return hasAccessToken() && now < expiresAt;
    }

    boolean hasAccessToken() {
        return token != null && token.hasAccessToken();
    }

    /** Whether a token for someone who must have one expiring after {@code notBefore} is held and fresh. */
    boolean freshUntil(long notBefore, long now) {
        return validAt(notBefore) && now < refreshAheadFrom;
    }

    /** The exception a blocked account fails with. */
    TokenRefreshException refusal(String provider, String account) {
        if (dead instanceof AccountDisconnectedException) {
            return new AccountDisconnectedException(provider, account);
        }
        if (dead != null) {
            return new InvalidGrantException(provider, account, dead.getStatusCode(), dead.getErrorDescription());
        }
        return new RefreshBackoffException(provider, account, failure.nextAttempt(), failure.cause());
    }

    // ------------------------------------------------------------------ transitions: each returns a new value

    /** This token is now the one handed out; its instants follow the policy. */
    AccountState withToken(Token next, RefreshPolicy policy) {
        long ahead = NEVER;
        long usable = NEVER;
        long expires = NEVER;
        if (next != null && next.hasAccessToken() && next.getExpiresAt() != null) {
            expires = next.getExpiresAt().toEpochMilli();
            Duration lifetime = next.getLifetime();
            ahead = policy.refreshAheadFrom(expires, lifetime, next.getIssuedAt());
            usable = expires - policy.expiryMarginMillis(lifetime);
        }
        return new AccountState(next, ahead, usable, expires, loaded, storedVersion, unsaved, failure, dead,
                                deadRefreshToken, invalidatedAccessToken, bootstrapTried, warnedRefreshToken, epoch);
    }

    AccountState withLoaded(boolean isLoaded) {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, isLoaded, storedVersion, unsaved,
                                failure, dead, deadRefreshToken, invalidatedAccessToken, bootstrapTried, warnedRefreshToken, epoch);
    }

    AccountState withStoredVersion(long version) {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, loaded, version, unsaved, failure, dead,
                                deadRefreshToken, invalidatedAccessToken, bootstrapTried, warnedRefreshToken, epoch);
    }

    AccountState withUnsaved(Token pending) {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, loaded, storedVersion, pending, failure,
                                dead, deadRefreshToken, invalidatedAccessToken, bootstrapTried, warnedRefreshToken, epoch);
    }

    AccountState withFailure(Failure next) {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, loaded, storedVersion, unsaved, next,
                                dead, deadRefreshToken, invalidatedAccessToken, bootstrapTried, warnedRefreshToken, epoch);
    }

    /** Dead (or alive again, with nulls): the refusal and the refresh token it was about. */
    AccountState withDead(InvalidGrantException cause, String refusedRefreshToken) {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, loaded, storedVersion, unsaved, failure,
                                cause, refusedRefreshToken, invalidatedAccessToken, bootstrapTried, warnedRefreshToken, epoch);
    }

    AccountState withInvalidatedAccessToken(String accessToken) {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, loaded, storedVersion, unsaved, failure,
                                dead, deadRefreshToken, accessToken, bootstrapTried, warnedRefreshToken, epoch);
    }

    AccountState withBootstrapTried(boolean tried) {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, loaded, storedVersion, unsaved, failure,
                                dead, deadRefreshToken, invalidatedAccessToken, tried, warnedRefreshToken, epoch);
    }

    AccountState withWarnedRefreshToken(String refreshToken) {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, loaded, storedVersion, unsaved, failure,
                                dead, deadRefreshToken, invalidatedAccessToken, bootstrapTried, refreshToken, epoch);
    }

    /** The next epoch: what a refresh under way obtains is no longer handed out as the account's token. */
    AccountState nextEpoch() {
        return new AccountState(token, refreshAheadFrom, usableUntil, expiresAt, loaded, storedVersion, unsaved, failure,
                                dead, deadRefreshToken, invalidatedAccessToken, bootstrapTried, warnedRefreshToken,
                                epoch + 1);
    }

    /**
     * Disconnected: no token, nothing stored, refused until someone saves a token again (dead with
     * {@link AccountDisconnectedException}); the configured refresh token counts as tried, so it is not sent again.
     * A new epoch: a refresh under way hands its token to no one new.
     */
    AccountState disconnected(AccountDisconnectedException cause, String revokedRefreshToken) {
        return new AccountState(null, NEVER, NEVER, NEVER, true, 0, null, null, cause, revokedRefreshToken, null, true,
                                null, epoch + 1);
    }

    /** Whether it was disconnected (here or, as its refresh found the record gone, on another replica). */
    boolean isDisconnected() {
        return dead instanceof AccountDisconnectedException;
    }

    /** Neither failing nor dead: a token was obtained, or the user started over. */
    AccountState healthy() {
        return withFailure(null).withDead(null, null);
    }

    /** Never a token. */
    @Override
    public String toString() {
        return "AccountState[token=" + token + ", loaded=" + loaded + ", storedVersion=" + storedVersion + ", unsaved="
               + (unsaved != null) + ", failure=" + (failure == null ? null : failure.cause().getErrorType())
               + ", dead=" + (dead != null) + ", epoch=" + epoch + "]";
    }
}
