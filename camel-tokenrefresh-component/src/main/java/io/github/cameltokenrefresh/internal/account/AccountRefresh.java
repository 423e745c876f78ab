package io.github.cameltokenrefresh.internal.account;

import java.time.Instant;

import io.github.cameltokenrefresh.internal.account.TokenAcquisition.Attempt;
import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.AccountDisconnectedException;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One refresh of one account, run inside its single flight: save a token still unsaved, else adopt a newer stored
 * record, else obtain a new token; save it before anyone gets it; then publish it, or record the failure. The only
 * code that moves an account between fresh, failing and dead.
 * <p>
 * It runs outside the account's lock: it decides from the state it began with, and commits each change through the
 * cache. When the account was invalidated meanwhile (a later epoch), only what must never be lost is committed (a
 * rotated refresh token and the version it was saved as); its access token goes to the callers already waiting for
 * it, never into the account.
 */
final class AccountRefresh {

    private static final Logger LOG = LoggerFactory.getLogger(AccountRefresh.class);

    private final AccountTokenCache cache;
    private final AccountEnvironment env;
    private final String account;
    private final boolean callerWaits;
    private final SingleFlight.Flight flight;
    /** The epoch of the state this refresh began from. */
    private int epoch;
    /** A token another instance stored, adopted while waiting for the lease. */
    private Token adopted;

    /** @param callerWaits whether a caller needs the token now, and so may wait for a rate-limit permit */
    AccountRefresh(AccountTokenCache cache, SingleFlight.Flight flight, boolean callerWaits) {
        this.callerWaits = callerWaits;
        this.flight = flight;
        this.cache = cache;
        this.env = cache.env();
        this.account = cache.account();
    }

    Token run() {
        Instant now = env.clock().instant();
        AccountState s = cache.loaded();
        epoch = s.epoch();
        flight.began(epoch);
        Attempt attempt = new Attempt(s);
        attempt.mayWaitForPermit = callerWaits;
        try {
            return obtain(s, now, attempt);
        } catch (TokenRefreshException e) {
            RefreshFailure.record(cache, epoch, e, now, attempt);
            throw e;
        } catch (RuntimeException e) {
            // whatever went wrong, it must not bypass the backoff: every failed attempt is recorded
            TokenRefreshException wrapped = new TokenRefreshException(env.provider(), account,
                    "refresh failed unexpectedly (" + e.getClass().getName() + ")", e);
            RefreshFailure.record(cache, epoch, wrapped, now, attempt);
            throw wrapped;
        }
    }

    private Token obtain(AccountState s, Instant now, Attempt attempt) {
        while (true) {
            Token token = obtainOnce(s, now, attempt);
            if (token != null) {
                return token;
            }
            // an unsaved refresh token without its access token (invalidated meanwhile) was saved: now refresh with it
            s = cache.state();
        }
    }

    /** The token, or null when only an unsaved refresh token was saved and a token call is still needed. */
    private Token obtainOnce(AccountState s, Instant now, Attempt attempt) {
        RefreshLease lease = LeaseWait.leaseOrAdopted(cache, s, this::adopt);
        if (lease == null) {
            return adopted; // another instance's fresh token, adopted meanwhile
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
            if (lease.current() == null && s.storedVersion() > 0 && s.unsaved() == null) {
                // the record this account was read from is gone: another instance disconnected it, so its refresh
                // token (revoked, or meant to be forgotten) is never sent again
                throw new AccountDisconnectedException(env.provider(), account);
            }
            AccountState newer = adoptNewerRecord(s, lease.current(), now);
            if (newer != null && newer.refreshAheadFrom() > now.toEpochMilli()) {
                return newer.token();
            }
            s = newer != null ? newer : s;
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
            RefreshLease sending = lease;
            // after the permit and the pause, as the request leaves: the lease is ours, renewed for a whole TTL, and
            // marked as sending (a holder that dies while it waits for a permit has spent nothing)
            attempt.beforeSending = () -> env.persistence().beforeSending(sending);
            try {
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
            Token issued = token;
            if (cache.commit(epoch, latest -> latest.withUnsaved(issued)) == null) {
                cache.commit(latest -> latest.withUnsaved(withoutAccessToken(issued)));
            }
            RefreshLease held = lease;
            lease = null;
            long version = saveFenced(held, token);
            String sent = attempt.sentRefreshToken;
            LOG.info("tokenrefresh:{} account '{}': token refreshed, expires at {}{}", env.provider(), account,
                     token.getExpiresAt(), sent == null ? " (new token pair saved)"
                             : sent.equals(token.getRefreshToken()) ? "" : " (refresh token rotated and saved)");
            return publish(version, token, attempt);
        } finally {
            if (lease != null) {
                env.persistence().release(lease);
            }
        }
    }

    /**
     * A record newer than ours that another instance (or a person) saved: adopted, and used rather than refreshing
     * again while its token is fresh.
     *
     * @return the state with the record, or null when there is none newer
     */
    private AccountState adoptNewerRecord(AccountState s, StoredToken stored, Instant now) {
        if (stored == null || stored.version() <= s.storedVersion() || s.unsaved() != null && !env.persistence().isShared()) {
            return null;
        }
        AccountState next = s.withToken(usable(stored.token(), s), cache.policy()).withStoredVersion(stored.version())
                .withDead(null, s.deadRefreshToken()).withUnsaved(null);
        if (s.unsaved() != null) {
            LOG.warn("tokenrefresh:{} account '{}': another instance saved a newer token than the one kept in memory;"
                     + " using the stored one", env.provider(), account);
        }
        if (next.refreshAheadFrom() <= now.toEpochMilli()) {
            cache.commit(epoch, current -> next);
            return next;
        }
        LOG.debug("tokenrefresh:{} account '{}': using a newer token from the store", env.provider(), account);
        adopt(next.withFailure(null));
        cache.stats().lastErrorType = null;
        cache.stats().adoptedRefreshes++;
        return next;
    }

    /** Another instance's fresh token: for this refresh's callers, and the account's unless it was invalidated since. */
    private void adopt(AccountState next) {
        adopted = next.token();
        cache.commit(epoch, current -> next);
    }

    /**
     * A rotated token that could not be saved: saved before anything else, as it is the only valid one. Without an
     * access token (the account was invalidated after it was issued) it is only saved, and null says a call is due.
     */
    private Token saveUnsaved(AccountState s, RefreshLease lease) {
        Token pending = s.unsaved();
        long version = saveFenced(lease, pending);
        if (!pending.hasAccessToken()) {
            cache.commit(current -> current.withToken(pending, cache.policy()).withStoredVersion(version)
                    .withUnsaved(null).withLoaded(true));
            return null;
        }
        return publish(version, pending, new Attempt(s));
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

    /** Hands out a token saved as {@code version}: the account's, unless it was invalidated since this began. */
    private Token publish(long version, Token token, Attempt attempt) {
        AccountStats stats = cache.stats();
        stats.tokenCalls += attempt.tokenCalls;
        stats.refreshes++;
        if (attempt.tokenCalls > 0) {
            env.endpointBackoff().succeeded();
        }
        stats.lastErrorType = null;
        Instant at = env.clock().instant();
        stats.lastRefreshAt = at;
        boolean warn = token.getRefreshToken() != null && env.policy().isRefreshTokenExpiring(token, at)
                       && !token.getRefreshToken().equals(cache.state().warnedRefreshToken());
        AccountState committed = cache.commit(epoch, current -> {
            AccountState next = current.withStoredVersion(version).withUnsaved(null).withToken(token, cache.policy())
                    .healthy().withBootstrapTried(attempt.bootstrapTried);
            return warn ? next.withWarnedRefreshToken(token.getRefreshToken()) : next;
        });
        if (committed == null) {
            // invalidated while the call was under way: keep the refresh token it brought (saved), not its access token
            cache.commit(current -> current.withToken(withoutAccessToken(token), cache.policy())
                    .withStoredVersion(version).withUnsaved(null).withLoaded(true));
            LOG.info("tokenrefresh:{} account '{}': the account was invalidated during the refresh; its new refresh"
                     + " token is saved, its access token goes only to the callers that were waiting", env.provider(),
                     account);
        }
        env.observer().onEvent(new TokenEvent(TokenEvent.Type.REFRESHED, env.provider(), account, at,
                                              token.getExpiresAt(), attempt.lastCallDuration, null, "token refreshed"));
        if (warn && committed != null) {
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

    /**
     * An unusable answer that carried a new refresh token: the server has rotated and the one we sent may be dead, so
     * the new one replaces it (in the store, and in memory even if the store fails). The access token is kept.
     */
    private void keepRotatedRefreshToken(RefreshLease lease, Attempt attempt) {
        // from the account's state as it is now: after an invalidate, that holds no access token to keep
        AccountState s = cache.state();
        Token current = s.token();
        Token kept = (current == null ? Token.ofRefreshToken(attempt.rescuedRefreshToken, attempt.rescuedAt)
                : current.toBuilder().refreshToken(attempt.rescuedRefreshToken).build())
                .toBuilder().refreshTokenIssuedAt(attempt.rescuedAt).build();
        long version = -1;
        try {
            version = saveFenced(lease, kept);
            LOG.warn("tokenrefresh:{} account '{}': an unusable token response carried a new refresh token; saved it",
                     env.provider(), account);
        } catch (TokenStoreException e) {
            LOG.error("{}", e.getMessage());
        }
        long saved = version;
        cache.commit(latest -> {
            AccountState next = latest.withToken(latest.hasAccessToken() ? kept : withoutAccessToken(kept),
                                                 cache.policy());
            return saved < 0 ? next : next.withStoredVersion(saved);
        });
        attempt.rescuedRefreshToken = null; // kept: the failure's record must not keep it again
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
