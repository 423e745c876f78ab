package io.github.cameltokenrefresh.source;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cameltokenrefresh.dialect.TokenRequest;
import io.github.cameltokenrefresh.store.StaleTokenVersionException;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.RefreshTokenMissingException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenResponse;
import io.github.cameltokenrefresh.token.TokenResponseParser;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token of one provider and account, and the only place that decides when to refresh it.
 * <ul>
 * <li>fresh: handed out with one volatile read, no lock, no I/O;</li>
 * <li>inside the refresh-ahead window: handed out at once while one background refresh runs;</li>
 * <li>expired (or within the expiry margin): callers wait for one refresh they all share;</li>
 * <li>failing: callers are not sent to the token endpoint again before the backoff ends, and a token that has not
 * truly expired keeps being served;</li>
 * <li>dead ({@code invalid_grant}): no token calls until a new refresh token is supplied.</li>
 * </ul>
 * A refreshed token is saved to the store before anyone gets it; a token that could not be saved is kept in memory and
 * saving is retried before any new token call, so a rotated refresh token is never lost.
 */
public final class TokenSource {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSource.class);

    private final Provider provider;
    private final String account;

    /** The token callers get, with its thresholds precomputed so the hot path compares two longs. */
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile boolean loaded;
    private volatile long storedVersion;
    private volatile Token unsaved;
    private volatile Failure failure;
    private volatile InvalidGrantException dead;
    private volatile String deadRefreshToken;
    /** An access token the user declared bad: never taken back from the store. */
    private volatile String invalidatedAccessToken;
    private boolean bootstrapTried;
    /** The refresh token already warned about, so the warning comes once per token, not once per refresh. */
    private volatile String warnedRefreshToken;
    /** The access tokens this source is indexed under (current and previous); changed under writeLock only. */
    private String indexedAccessToken;
    private String indexedPreviousAccessToken;

    private final AtomicReference<CompletableFuture<Token>> inFlight = new AtomicReference<>();
    private final Object writeLock = new Object();

    /** Counters for monitoring; written under writeLock only, so plain volatile longs (an AtomicLong each per account would cost 70 bytes). */
    private volatile long tokenCalls;
    private volatile long refreshes;
    private volatile long failures;
    private volatile Instant lastRefreshAt;
    private volatile Instant lastFailureAt;
    private volatile TokenRefreshException lastFailure;
    /** The duration of the token call under way in the single flight; read and cleared when its outcome is known. */
    private Duration lastCallDuration;

    TokenSource(Provider provider, String account) {
        this.provider = provider;
        this.account = account;
    }

    /** The configured refresh token of this account, looked up when needed: an endpoint may register it late. */
    private String bootstrapRefreshToken() {
        return provider.bootstrapRefreshToken(account);
    }

    public String getProviderName() {
        return provider.getName();
    }

    public String getAccount() {
        return account;
    }

    /**
     * A token fit to send now: the current one when fresh, otherwise one refresh shared with every concurrent caller.
     */
    public Token getToken() {
        Snapshot s = snapshot;
        long now = provider.clock().millis();
        if (now < s.refreshAheadFrom) {
            return s.token;
        }
        return getTokenSlow(now, false);
    }

    /** Refreshes now (waiting) when the token is inside its refresh-ahead window or worse; otherwise returns it. */
    public Token refreshIfExpiring() {
        Snapshot s = snapshot;
        long now = provider.clock().millis();
        if (now < s.refreshAheadFrom) {
            return s.token;
        }
        return getTokenSlow(now, true);
    }

    /**
     * Refreshes (waiting) when the token is missing or expires within {@code window}; leaves it alone otherwise. For
     * scheduled and start-up refreshes, which must touch only the accounts that are due.
     *
     * @return true when a refresh ran
     */
    public boolean refreshIfExpiresWithin(Duration window) {
        ensureLoaded();
        Snapshot s = snapshot;
        Instant now = provider.clock().instant();
        if (s.isValidAt(now.plus(window).toEpochMilli()) && now.toEpochMilli() < s.refreshAheadFrom) {
            return false;
        }
        failFastIfBlocked(now);
        await(startRefresh(false));
        return true;
    }

    /** Refreshes now, whatever the state of the current token; joins a refresh already under way. */
    public Token refresh() {
        ensureLoaded();
        failFastIfBlocked(provider.clock().instant());
        return await(startRefresh(false));
    }

    /**
     * Refreshes only if {@code rejectedAccessToken} is still the current access token: after a 401, the first caller
     * refreshes and the others, whose requests carried the same stale token, just get the new one.
     */
    public Token refreshIfCurrent(String rejectedAccessToken) {
        ensureLoaded();
        Token current = snapshot.token;
        if (current != null && current.hasAccessToken() && !current.getAccessToken().equals(rejectedAccessToken)) {
            return current;
        }
        CompletableFuture<Token> running = inFlight.get();
        if (running != null) {
            return await(running);
        }
        failFastIfBlocked(provider.clock().instant());
        return await(startRefresh(false));
    }

    /**
     * Forgets the access token so the next caller refreshes, and clears a failure or dead state; the next access reads
     * the store again, so a refresh token replaced there is picked up.
     */
    public void invalidate() {
        synchronized (writeLock) {
            Token current = snapshot.token;
            if (current != null && current.hasAccessToken()) {
                invalidatedAccessToken = current.getAccessToken();
            }
            setSnapshot(current == null ? Snapshot.EMPTY : Snapshot.of(withoutAccessToken(current), provider.policy()));
            loaded = false;
            failure = null;
            dead = null;
            deadRefreshToken = null;
            LOG.info("tokenrefresh:{} account '{}': access token invalidated", provider.getName(), account);
        }
    }

    /**
     * Starts over from a new refresh token (after the user re-authorized): saves it, clears failure and dead states.
     * The next caller refreshes with it.
     */
    public void supplyRefreshToken(String refreshToken) {
        CompletableFuture<Token> running = inFlight.get();
        if (running != null) {
            running.handle((t, e) -> null).join();
        }
        synchronized (writeLock) {
            ensureLoadedLocked();
            Token seeded = Token.ofRefreshToken(refreshToken, provider.clock().instant());
            persist(seeded);
            setSnapshot(Snapshot.of(seeded, provider.policy()));
            unsaved = null;
            failure = null;
            dead = null;
            deadRefreshToken = null;
            LOG.info("tokenrefresh:{} account '{}': new refresh token supplied and saved", provider.getName(), account);
        }
    }

    /** Every change of the current token goes through here, so the provider's expiry index stays exact. */
    private void setSnapshot(Snapshot next) {
        snapshot = next;
        Token token = next.token;
        boolean hasAccessToken = token != null && token.hasAccessToken();
        provider.indexExpiry(account, hasAccessToken ? token.getExpiresAt() : null);
        indexAccessToken(hasAccessToken ? token.getAccessToken() : null);
    }

    /**
     * Keeps this source findable by its current access token and the one before it (a dropped token stays the
     * previous one until the next), so a 401 to either finds its way back here.
     */
    private void indexAccessToken(String current) {
        if (current == null ? indexedAccessToken == null : current.equals(indexedAccessToken)) {
            return;
        }
        AccessTokenIndex index = provider.accessTokens();
        if (indexedAccessToken != null) {
            index.remove(indexedPreviousAccessToken, this);
            indexedPreviousAccessToken = indexedAccessToken;
        }
        indexedAccessToken = current;
        if (current != null) {
            index.add(current, this);
        }
    }

    /** Removes this source from the access token index, when its provider stops. */
    void unindex() {
        synchronized (writeLock) {
            provider.accessTokens().remove(indexedAccessToken, this);
            provider.accessTokens().remove(indexedPreviousAccessToken, this);
            indexedAccessToken = null;
            indexedPreviousAccessToken = null;
        }
    }

    /** What monitoring may see: state, times and counts, never a token. */
    public TokenSourceStatus status() {
        Instant now = provider.clock().instant();
        Snapshot s = snapshot;
        Failure f = failure;
        TokenSourceStatus.State state;
        if (dead != null) {
            state = TokenSourceStatus.State.DEAD;
        } else if (s.token == null || !s.token.hasAccessToken()) {
            state = f != null ? TokenSourceStatus.State.FAILING : TokenSourceStatus.State.NO_TOKEN;
        } else if (now.toEpochMilli() < s.refreshAheadFrom) {
            state = TokenSourceStatus.State.FRESH;
        } else if (now.toEpochMilli() < s.usableUntil) {
            state = f != null ? TokenSourceStatus.State.FAILING : TokenSourceStatus.State.REFRESH_AHEAD;
        } else {
            state = f != null ? TokenSourceStatus.State.FAILING : TokenSourceStatus.State.EXPIRED;
        }
        TokenRefreshException last = lastFailure;
        return new TokenSourceStatus(provider.getName(), account, state,
                s.token == null ? null : s.token.getExpiresAt(), lastRefreshAt, lastFailureAt,
                last == null ? null : last.getErrorType(), f == null ? null : f.nextAttempt,
                tokenCalls, refreshes, failures, provider.policy().refreshTokenExpiresAt(s.token),
                provider.policy().isRefreshTokenExpiring(s.token, now));
    }

    private Token getTokenSlow(long now, boolean waitInsideWindow) {
        ensureLoaded();
        Snapshot s = snapshot;
        Instant at = Instant.ofEpochMilli(now);
        if (now < s.refreshAheadFrom) {
            return s.token;
        }
        if (now < s.usableUntil && !waitInsideWindow) {
            // still good: hand it out and let one background refresh renew it
            if (!isBlocked(at)) {
                startRefresh(true);
            }
            return s.token;
        }
        if (isBlocked(at)) {
            if (s.isValidAt(now)) {
                return s.token; // nothing better to offer, and it still works
            }
            failFastIfBlocked(at);
        }
        try {
            return await(startRefresh(false));
        } catch (TokenRefreshException e) {
            // the refresh failed, but the token has not truly expired: it still works, so the caller gets it, exactly
            // as callers arriving after the failure do
            if (s.isValidAt(provider.clock().millis())) {
                return s.token;
            }
            throw e;
        }
    }

    private boolean isBlocked(Instant now) {
        Failure f = failure;
        return dead != null || (f != null && now.isBefore(f.nextAttempt));
    }

    private void failFastIfBlocked(Instant now) {
        InvalidGrantException d = dead;
        if (d != null) {
            throw new InvalidGrantException(provider.getName(), account, d.getStatusCode(), d.getErrorDescription());
        }
        Failure f = failure;
        if (f != null && now.isBefore(f.nextAttempt)) {
            throw new RefreshBackoffException(provider.getName(), account, f.nextAttempt, f.cause);
        }
    }

    private CompletableFuture<Token> startRefresh(boolean background) {
        CompletableFuture<Token> mine = new CompletableFuture<>();
        while (true) {
            CompletableFuture<Token> running = inFlight.get();
            if (running != null) {
                return running;
            }
            if (inFlight.compareAndSet(null, mine)) {
                break;
            }
        }
        Runnable task = () -> {
            try {
                Token token = refreshOnce();
                inFlight.compareAndSet(mine, null);
                mine.complete(token);
            } catch (Throwable e) {
                inFlight.compareAndSet(mine, null);
                mine.completeExceptionally(e);
            }
        };
        if (background) {
            try {
                provider.executor().execute(task);
            } catch (RuntimeException rejected) {
                task.run(); // executor shut down or saturated: refresh in the caller rather than never
            }
        } else {
            task.run();
        }
        return mine;
    }

    private static Token await(CompletableFuture<Token> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.camel.RuntimeCamelException("interrupted while waiting for a token refresh", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new org.apache.camel.RuntimeCamelException(cause);
        }
    }

    /** One refresh; runs only inside the single flight. */
    private Token refreshOnce() {
        synchronized (writeLock) {
            Instant now = provider.clock().instant();
            try {
                Token token = obtain(now);
                failure = null;
                lastFailure = null;
                return token;
            } catch (InvalidGrantException e) {
                recordFailure(e, now);
                throw e;
            } catch (TokenRefreshException e) {
                recordFailure(e, now);
                throw e;
            } catch (RuntimeException e) {
                // whatever went wrong, it must not bypass the backoff: every failed attempt is recorded
                TokenRefreshException wrapped = new TokenRefreshException(provider.getName(), account,
                        "refresh failed unexpectedly (" + e.getClass().getName() + ")", e);
                recordFailure(wrapped, now);
                throw wrapped;
            }
        }
    }

    private Token obtain(Instant now) {
        ensureLoadedLocked();
        if (unsaved != null) {
            // a rotated token that could not be saved: save it before anything else; it is the only valid one
            Token pending = unsaved;
            persist(pending);
            return publish(pending);
        }
        StoredToken stored = loadStored();
        if (stored != null && stored.getVersion() > storedVersion) {
            // another instance (or a person) saved a newer record: use it rather than refresh again
            storedVersion = stored.getVersion();
            setSnapshot(Snapshot.of(usable(stored.getToken()), provider.policy()));
            dead = null;
            if (snapshot.refreshAheadFrom > now.toEpochMilli()) {
                LOG.debug("tokenrefresh:{} account '{}': using a newer token from the store", provider.getName(), account);
                return snapshot.token;
            }
        }
        Token current = snapshot.token;
        String refreshToken = current == null ? null : current.getRefreshToken();
        if (refreshToken == null) {
            if (provider.fallbackGrant() != null) {
                return callFallbackGrant("no refresh token is stored or configured");
            }
            throw new RefreshTokenMissingException(provider.getName(), account);
        }
        try {
            return callTokenEndpoint(refreshToken);
        } catch (InvalidGrantException e) {
            String bootstrapRefreshToken = bootstrapRefreshToken();
            if (bootstrapRefreshToken != null && !bootstrapTried && !bootstrapRefreshToken.equals(refreshToken)) {
                // the stored refresh token is dead but the configuration names another one: the user re-authorized
                bootstrapTried = true;
                LOG.info("tokenrefresh:{} account '{}': stored refresh token refused (invalid_grant); trying the "
                         + "configured refreshToken", provider.getName(), account);
                try {
                    return callTokenEndpoint(bootstrapRefreshToken);
                } catch (InvalidGrantException again) {
                    deadRefreshToken = bootstrapRefreshToken;
                    if (provider.fallbackGrant() == null) {
                        throw again;
                    }
                }
            }
            deadRefreshToken = deadRefreshToken == null ? refreshToken : deadRefreshToken;
            if (provider.fallbackGrant() != null) {
                return callFallbackGrant("the refresh token was refused (invalid_grant)");
            }
            throw e;
        }
    }

    /** The unattended initial grant: a new token pair without a person, when refreshing cannot work. */
    private Token callFallbackGrant(String why) {
        LOG.info("tokenrefresh:{} account '{}': {}; obtaining a new token pair with the {} grant", provider.getName(),
                 account, why, provider.fallbackGrant().getType());
        return call(provider.fallbackGrant().encode(provider.dialect(), provider.credentials()), null);
    }

    private Token callTokenEndpoint(String refreshToken) {
        if (refreshToken.equals(deadRefreshToken)) {
            throw new InvalidGrantException(provider.getName(), account, dead == null ? 400 : dead.getStatusCode(),
                                            dead == null ? null : dead.getErrorDescription());
        }
        return call(provider.dialect().encode(provider.credentials(), refreshToken), refreshToken);
    }

    /** One token call: send, parse, save, publish. {@code refreshToken} is the one sent, or null for another grant. */
    private Token call(TokenRequest request, String refreshToken) {
        Instant sentAt = provider.clock().instant();
        tokenCalls++;
        TokenResponse response;
        try {
            response = provider.client().send(request);
        } catch (IOException e) {
            lastCallDuration = Duration.between(sentAt, provider.clock().instant());
            throw new TokenEndpointUnavailableException(provider.getName(), account, 0, null,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        lastCallDuration = Duration.between(sentAt, provider.clock().instant());
        // lifetimes count from when the request left, so a slow answer never makes a token look fresher than it is
        Token parsed;
        try {
            parsed = provider.parser(account).parse(response, refreshToken, request.secrets(), sentAt);
        } catch (InvalidTokenResponseException e) {
            // the server may have rotated before answering badly: a new refresh token in the answer must not be lost
            keepRotatedRefreshToken(TokenResponseParser.rotatedRefreshToken(response, refreshToken), sentAt);
            throw e;
        }
        Token token = withRefreshTokenAge(parsed, refreshToken, sentAt);
        unsaved = token;
        persist(token);
        unsaved = null;
        LOG.info("tokenrefresh:{} account '{}': token refreshed, expires at {}{}", provider.getName(), account,
                 token.getExpiresAt(), refreshToken == null ? " (new token pair saved)"
                         : refreshToken.equals(token.getRefreshToken()) ? "" : " (refresh token rotated and saved)");
        return publish(token);
    }

    /**
     * An unusable answer that carries a new refresh token: the server has rotated and the one we sent may be dead, so
     * the new one replaces it (in the store, and in memory even if the store fails). The access token is kept.
     */
    private void keepRotatedRefreshToken(String rotated, Instant sentAt) {
        if (rotated == null) {
            return;
        }
        Token current = snapshot.token;
        Token kept = (current == null ? Token.ofRefreshToken(rotated, sentAt) : current.toBuilder().refreshToken(rotated).build())
                .toBuilder().refreshTokenIssuedAt(sentAt).build();
        setSnapshot(Snapshot.of(kept, provider.policy()));
        try {
            persist(kept);
            LOG.warn("tokenrefresh:{} account '{}': an unusable token response carried a new refresh token; saved it",
                     provider.getName(), account);
        } catch (TokenStoreException e) {
            LOG.error("{}", e.getMessage());
        }
    }

    /** Once per refresh token: its known lifetime is nearly over, and only a person can get a new one. */
    private void warnIfRefreshTokenExpiring(Token token) {
        Instant now = provider.clock().instant();
        if (!provider.policy().isRefreshTokenExpiring(token, now)
            || token.getRefreshToken().equals(warnedRefreshToken)) {
            return;
        }
        warnedRefreshToken = token.getRefreshToken();
        Instant end = provider.policy().refreshTokenExpiresAt(token);
        String message = "tokenrefresh:" + provider.getName() + " account '" + account + "': the refresh token expires at "
                         + end + "; re-authorize this account before then and supply the new refresh token";
        LOG.warn("{}", message);
        provider.fire(new TokenEvent(TokenEvent.Type.REFRESH_TOKEN_EXPIRING, provider.getName(), account, now,
                                     token.getExpiresAt(), null, "refresh_token_expiring", message));
    }

    /** A rotated refresh token is new as of this call; an unchanged one keeps the age it had. */
    private Token withRefreshTokenAge(Token token, String refreshTokenSent, Instant sentAt) {
        Token previous = snapshot.token;
        Instant since = sentAt;
        if (refreshTokenSent != null && refreshTokenSent.equals(token.getRefreshToken()) && previous != null
            && refreshTokenSent.equals(previous.getRefreshToken()) && previous.getRefreshTokenIssuedAt() != null) {
            since = previous.getRefreshTokenIssuedAt();
        }
        return token.toBuilder().refreshTokenIssuedAt(since).build();
    }

    private Token publish(Token token) {
        setSnapshot(Snapshot.of(token, provider.policy()));
        dead = null;
        deadRefreshToken = null;
        refreshes++;
        lastRefreshAt = provider.clock().instant();
        Duration took = lastCallDuration;
        lastCallDuration = null;
        provider.fire(new TokenEvent(TokenEvent.Type.REFRESHED, provider.getName(), account, lastRefreshAt,
                                     token.getExpiresAt(), took, null, "token refreshed"));
        warnIfRefreshTokenExpiring(token);
        return token;
    }

    private void persist(Token token) {
        try {
            try {
                storedVersion = provider.store().save(provider.getName(), account, token, storedVersion).getVersion();
            } catch (StaleTokenVersionException e) {
                // someone saved meanwhile; the token endpoint just accepted our refresh token, so ours is the newest
                storedVersion = provider.store().save(provider.getName(), account, token, e.getActualVersion()).getVersion();
            }
        } catch (RuntimeException e) {
            throw new TokenStoreException(provider.getName(), account,
                    "cannot save the token to " + provider.store() + " (" + e.getMessage()
                                                                        + "); it is kept in memory and saving is retried",
                    e);
        }
    }

    private void recordFailure(TokenRefreshException e, Instant now) {
        failures++;
        lastFailure = e;
        lastFailureAt = now;
        Duration took = lastCallDuration;
        lastCallDuration = null;
        Instant expiresAt = snapshot.token == null ? null : snapshot.token.getExpiresAt();
        if (e instanceof InvalidGrantException) {
            dead = (InvalidGrantException) e;
            failure = null;
            LOG.warn("{}", e.getMessage());
            provider.fire(new TokenEvent(TokenEvent.Type.INVALID_GRANT, provider.getName(), account, now, expiresAt, took,
                                         e.getErrorType(), e.getMessage()));
            return;
        }
        Failure previous = failure;
        int attempts = previous == null ? 1 : previous.attempts + 1;
        Duration retryAfter = e instanceof TokenEndpointUnavailableException
                ? ((TokenEndpointUnavailableException) e).getRetryAfter() : null;
        Instant next = now.plusMillis(provider.policy().backoffMillis(attempts, retryAfter));
        failure = new Failure(e, attempts, next);
        LOG.warn("{} (attempt {}, next attempt not before {})", e.getMessage(), attempts, next);
        provider.fire(new TokenEvent(TokenEvent.Type.REFRESH_FAILED, provider.getName(), account, now, expiresAt, took,
                                     e.getErrorType(), e.getMessage()));
    }

    private void ensureLoaded() {
        if (!loaded) {
            synchronized (writeLock) {
                ensureLoadedLocked();
            }
        }
    }

    private void ensureLoadedLocked() {
        if (loaded) {
            return;
        }
        StoredToken stored = loadStored();
        if (stored != null) {
            storedVersion = stored.getVersion();
            setSnapshot(Snapshot.of(usable(stored.getToken()), provider.policy()));
        } else if (snapshot.token == null && bootstrapRefreshToken() != null) {
            // a stored refresh token always wins over the configured one, which may be older
            setSnapshot(Snapshot.of(Token.ofRefreshToken(bootstrapRefreshToken(), provider.clock().instant()),
                                   provider.policy()));
            bootstrapTried = true;
        }
        loaded = true;
    }

    private Token usable(Token stored) {
        String bad = invalidatedAccessToken;
        return bad != null && bad.equals(stored.getAccessToken()) ? withoutAccessToken(stored) : stored;
    }

    private static Token withoutAccessToken(Token token) {
        return token.toBuilder().accessToken(null).expiresAt(null).build();
    }

    private StoredToken loadStored() {
        try {
            return provider.store().load(provider.getName(), account);
        } catch (RuntimeException e) {
            throw new TokenStoreException(provider.getName(), account,
                    "cannot read the token from " + provider.store() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TokenSource[provider=" + provider.getName() + ", account=" + account + ", state=" + status().getState() + "]";
    }

    private static final class Failure {
        final TokenRefreshException cause;
        final int attempts;
        final Instant nextAttempt;

        Failure(TokenRefreshException cause, int attempts, Instant nextAttempt) {
            this.cause = cause;
            this.attempts = attempts;
            this.nextAttempt = nextAttempt;
        }
    }

    /** A token with the instants that decide its fate, as epoch millis. */
    static final class Snapshot {
        static final Snapshot EMPTY = new Snapshot(null, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);

        final Token token;
        final long refreshAheadFrom;
        final long usableUntil;
        final long expiresAt;

        private Snapshot(Token token, long refreshAheadFrom, long usableUntil, long expiresAt) {
            this.token = token;
            this.refreshAheadFrom = refreshAheadFrom;
            this.usableUntil = usableUntil;
            this.expiresAt = expiresAt;
        }

        static Snapshot of(Token token, RefreshPolicy policy) {
            if (token == null || !token.hasAccessToken() || token.getExpiresAt() == null) {
                return token == null ? EMPTY : new Snapshot(token, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);
            }
            long expires = token.getExpiresAt().toEpochMilli();
            Duration lifetime = token.getLifetime();
            return new Snapshot(token, expires - policy.refreshAheadMillis(lifetime),
                                expires - policy.expiryMarginMillis(lifetime), expires);
        }

        boolean isValidAt(long now) {
            return token != null && token.hasAccessToken() && now < expiresAt;
        }
    }
}
