package io.github.cameltokenrefresh.internal.account;

import java.time.Instant;

import io.github.cameltokenrefresh.internal.account.AccountState.Failure;
import io.github.cameltokenrefresh.internal.account.TokenAcquisition.Attempt;
import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.slf4j.Logger;

/**
 * One refresh of one account, run inside its single flight: save a token still unsaved, else adopt a newer stored
 * record, else obtain a new token; save it before anyone gets it; then publish it, or record the failure. The only
 * code that moves an account between fresh, failing and dead.
 */
final class AccountRefresh {

    private static final Logger LOG = AccountTokenCache.LOG;

    private final AccountTokenCache cache;
    private final AccountEnvironment env;
    private final String account;
    private final boolean callerWaits;

    /** @param callerWaits whether a caller needs the token now, and so may wait for a rate-limit permit */
    AccountRefresh(AccountTokenCache cache, boolean callerWaits) {
        this.callerWaits = callerWaits;
        this.cache = cache;
        this.env = cache.env();
        this.account = cache.account();
    }

    Token run() {
        synchronized (cache.lock) {
            Instant now = env.clock().instant();
            AccountState s = cache.loadedLocked();
            Attempt attempt = new Attempt(s);
            attempt.mayWaitForPermit = callerWaits;
            try {
                return obtain(s, now, attempt);
            } catch (TokenRefreshException e) {
                recordFailure(e, now, attempt);
                throw e;
            } catch (RuntimeException e) {
                // whatever went wrong, it must not bypass the backoff: every failed attempt is recorded
                TokenRefreshException wrapped = new TokenRefreshException(env.provider(), account,
                        "refresh failed unexpectedly (" + e.getClass().getName() + ")", e);
                recordFailure(wrapped, now, attempt);
                throw wrapped;
            }
        }
    }

    private Token obtain(AccountState s, Instant now, Attempt attempt) {
        RefreshLease lease = LeaseWait.leaseOrAdopted(cache, s);
        if (lease == null) {
            return cache.state().token(); // another instance's fresh token, adopted meanwhile
        }
        try {
            if (lease.interrupted()) {
                cache.stats().interruptedLeases++;
                String message = "tokenrefresh:" + env.provider() + " account '" + account + "': the previous refresh"
                                 + (lease.spent() ? " lease was never released and its holder had started a token call"
                                         + " (it died or lost the store before saving the answer): the stored refresh"
                                         + " token is most likely spent"
                                         : " lease was never released (its holder may have died during a token call):"
                                           + " the stored refresh token may already be spent");
                LOG.warn("{}", message);
                Token held = s.token();
                env.observer().onEvent(new TokenEvent(TokenEvent.Type.LEASE_INTERRUPTED, env.provider(), account, now,
                                                      held == null ? null : held.getExpiresAt(), null,
                                                      "lease_interrupted", message));
            }
            String spent = env.persistence().spentRefreshTokenNotToSend(lease);
            if (spent != null) {
                // spentRefreshToken=markDead: the provider revokes the grant on reuse; tell every replica, send nothing
                attempt.deadRefreshToken = spent;
                RefreshLease held = lease;
                lease = null;
                env.persistence().releaseDead(held, spent);
                throw new InvalidGrantException(env.provider(), account, 400, "not sent: its previous holder died after"
                                                + " sending it (spentRefreshToken=markDead)");
            }
            Token adopted = adoptNewerRecord(s, lease.current(), now);
            if (adopted != null) {
                return adopted;
            }
            s = cache.state();
            if (s.unsaved() != null) {
                RefreshLease held = lease;
                lease = null;
                return saveUnsaved(s, held);
            }
            Token current = s.token();
            if (lease.deadRefreshTokenSha256() != null && current != null && current.getRefreshToken() != null
                && lease.deadRefreshTokenSha256().equals(TokenPersistence.sha256(current.getRefreshToken()))) {
                // another instance was told invalid_grant for this very refresh token: never send it again
                attempt.deadRefreshToken = current.getRefreshToken();
                throw new InvalidGrantException(env.provider(), account, 400, "refused before, as recorded in the store");
            }
            Token token;
            try {
                env.persistence().beforeSending(lease); // the lease is ours, renewed, for a whole TTL ahead
                token = env.acquisition().acquire(account, current, cache.bootstrapRefreshToken(), attempt);
            } catch (InvalidGrantException e) {
                RefreshLease held = lease;
                lease = null;
                String refused = attempt.deadRefreshToken != null ? attempt.deadRefreshToken
                        : current == null ? null : current.getRefreshToken();
                if (refused != null) {
                    env.persistence().releaseDead(held, refused);
                } else {
                    env.persistence().release(held);
                }
                throw e;
            } catch (InvalidTokenResponseException e) {
                if (attempt.rescuedRefreshToken != null) {
                    RefreshLease held = lease;
                    lease = null;
                    keepRotatedRefreshToken(held, attempt);
                }
                throw e;
            }
            // the provider has issued it: until it is saved it is the only copy of a possibly rotated refresh token
            cache.update(s.withUnsaved(token));
            RefreshLease held = lease;
            lease = null;
            long version = saveFenced(held, token);
            String sent = attempt.sentRefreshToken;
            LOG.info("tokenrefresh:{} account '{}': token refreshed, expires at {}{}", env.provider(), account,
                     token.getExpiresAt(), sent == null ? " (new token pair saved)"
                             : sent.equals(token.getRefreshToken()) ? "" : " (refresh token rotated and saved)");
            return publish(cache.state().withStoredVersion(version).withUnsaved(null), token, attempt);
        } finally {
            if (lease != null) {
                env.persistence().release(lease);
            }
        }
    }

    /** A record newer than ours that another instance (or a person) saved: used rather than refreshing again. */
    private Token adoptNewerRecord(AccountState s, StoredToken stored, Instant now) {
        if (stored == null || stored.version() <= s.storedVersion() || s.unsaved() != null && !env.persistence().isShared()) {
            return null;
        }
        AccountState next = s.withToken(usable(stored.token(), s), cache.policy()).withStoredVersion(stored.version())
                .withDead(null, s.deadRefreshToken()).withUnsaved(null);
        if (s.unsaved() != null) {
            LOG.warn("tokenrefresh:{} account '{}': another instance saved a newer token than the one kept in memory;"
                     + " using the stored one", env.provider(), account);
        }
        cache.update(next);
        if (next.refreshAheadFrom() > now.toEpochMilli()) {
            LOG.debug("tokenrefresh:{} account '{}': using a newer token from the store", env.provider(), account);
            cache.update(next.withFailure(null));
            cache.stats().lastErrorType = null;
            cache.stats().adoptedRefreshes++;
            return next.token();
        }
        return null;
    }

    /** A rotated token that could not be saved: saved before anything else, as it is the only valid one. */
    private Token saveUnsaved(AccountState s, RefreshLease lease) {
        Token pending = s.unsaved();
        long version = saveFenced(lease, pending);
        return publish(cache.state().withStoredVersion(version).withUnsaved(null), pending, new Attempt(s));
    }

    /** The fenced save; a lost lease means another instance took over: never overwrite, keep ours in memory. */
    private long saveFenced(RefreshLease lease, Token token) {
        try {
            return env.persistence().saveAndRelease(lease, token);
        } catch (LeaseLostException e) {
            throw new TokenStoreException(env.provider(), account, e.getMessage() + "; the token is kept in memory", e);
        } catch (TokenStoreException e) {
            // the save failed, the lease may still be ours: free it, or the next attempt waits for it to expire
            env.persistence().release(lease);
            throw e;
        }
    }

    private Token publish(AccountState s, Token token, Attempt attempt) {
        AccountStats stats = cache.stats();
        stats.tokenCalls += attempt.tokenCalls;
        stats.refreshes++;
        if (attempt.tokenCalls > 0) {
            env.endpointBackoff().succeeded();
        }
        stats.lastErrorType = null;
        Instant at = env.clock().instant();
        stats.lastRefreshAt = at;
        AccountState next = s.withToken(token, cache.policy()).healthy().withBootstrapTried(attempt.bootstrapTried);
        boolean warn = token.getRefreshToken() != null && env.policy().isRefreshTokenExpiring(token, at)
                       && !token.getRefreshToken().equals(next.warnedRefreshToken());
        cache.update(warn ? next.withWarnedRefreshToken(token.getRefreshToken()) : next);
        env.observer().onEvent(new TokenEvent(TokenEvent.Type.REFRESHED, env.provider(), account, at,
                                              token.getExpiresAt(), attempt.lastCallDuration, null, "token refreshed"));
        if (warn) {
            warnRefreshTokenExpiring(token, at);
        }
        return token;
    }

    /** Once per refresh token: its known lifetime is nearly over, and only a person can get a new one. */
    private void warnRefreshTokenExpiring(Token token, Instant now) {
        Instant end = env.policy().refreshTokenExpiresAt(token);
        String message = "tokenrefresh:" + env.provider() + " account '" + account + "': the refresh token expires at "
                         + end + "; re-authorize this account before then and supply the new refresh token";
        LOG.warn("{}", message);
        env.observer().onEvent(new TokenEvent(TokenEvent.Type.REFRESH_TOKEN_EXPIRING, env.provider(), account, now,
                                              token.getExpiresAt(), null, "refresh_token_expiring", message));
    }

    private void recordFailure(TokenRefreshException e, Instant now, Attempt attempt) {
        if (e instanceof RefreshBackoffException && attempt.tokenCalls == 0) {
            // no token call was made and nothing failed (no rate-limit permit, or the endpoint paused again while this
            // refresh waited for the probe): the account is only deferred, it does not back off
            LOG.debug("{}", e.getMessage());
            return;
        }
        AccountStats stats = cache.stats();
        stats.tokenCalls += attempt.tokenCalls;
        stats.failures++;
        stats.lastErrorType = e.getErrorType();
        stats.lastFailureAt = now;
        AccountState s = cache.state().withBootstrapTried(attempt.bootstrapTried);
        Instant expiresAt = s.token() == null ? null : s.token().getExpiresAt();
        if (e instanceof InvalidGrantException dead) {
            cache.update(s.withFailure(null).withDead(dead, attempt.deadRefreshToken));
            LOG.warn("{}", e.getMessage());
            env.observer().onEvent(new TokenEvent(TokenEvent.Type.INVALID_GRANT, env.provider(), account, now, expiresAt,
                                                  attempt.lastCallDuration, e.getErrorType(), e.getMessage()));
            return;
        }
        int attempts = s.failure() == null ? 1 : s.failure().attempts() + 1;
        Instant next = now.plusMillis(env.policy().backoffMillis(attempts, e instanceof TokenEndpointUnavailableException u
                ? u.getRetryAfter() : null));
        cache.update(s.withFailure(new Failure(e, attempts, next)).withDead(s.dead(), attempt.deadRefreshToken));
        LOG.warn("{} (attempt {}, next attempt not before {})", e.getMessage(), attempts, next);
        if (e instanceof TokenEndpointUnavailableException unavailable) {
            // about the endpoint, not this account: no account of the provider calls it before then
            EndpointBackoff.Pause paused = env.endpointBackoff().failed(unavailable, next);
            if (paused.failures() == 1) {
                LOG.warn("tokenrefresh:{}: the token endpoint is in trouble ({}): no token call for any account before"
                         + " {}; tokens that have not expired are still served", env.provider(), e.getErrorType(),
                         paused.until());
            }
        }
        env.observer().onEvent(new TokenEvent(TokenEvent.Type.REFRESH_FAILED, env.provider(), account, now, expiresAt,
                                              attempt.lastCallDuration, e.getErrorType(), e.getMessage()));
    }

    /**
     * An unusable answer that carried a new refresh token: the server has rotated and the one we sent may be dead, so
     * the new one replaces it (in the store, and in memory even if the store fails). The access token is kept.
     */
    private void keepRotatedRefreshToken(RefreshLease lease, Attempt attempt) {
        AccountState s = cache.state();
        Token current = s.token();
        Token kept = (current == null ? Token.ofRefreshToken(attempt.rescuedRefreshToken, attempt.rescuedAt)
                : current.toBuilder().refreshToken(attempt.rescuedRefreshToken).build())
                .toBuilder().refreshTokenIssuedAt(attempt.rescuedAt).build();
        AccountState next = s.withToken(kept, cache.policy());
        try {
            next = next.withStoredVersion(saveFenced(lease, kept));
            LOG.warn("tokenrefresh:{} account '{}': an unusable token response carried a new refresh token; saved it",
                     env.provider(), account);
        } catch (TokenStoreException e) {
            LOG.error("{}", e.getMessage());
        }
        cache.update(next);
        attempt.rescuedRefreshToken = null; // kept: recordFailure must not keep it again
    }

    /** A stored token, unless its access token is the one the user declared bad. */
    static Token usable(Token stored, AccountState s) {
        String bad = s.invalidatedAccessToken();
        return bad != null && bad.equals(stored.getAccessToken()) ? withoutAccessToken(stored) : stored;
    }

    static Token withoutAccessToken(Token token) {
        return token.toBuilder().accessToken(null).expiresAt(null).build();
    }
}
