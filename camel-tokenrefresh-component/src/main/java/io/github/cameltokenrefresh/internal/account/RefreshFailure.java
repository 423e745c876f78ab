package io.github.cameltokenrefresh.internal.account;

import java.time.Instant;

import io.github.cameltokenrefresh.internal.account.AccountState.Failure;
import io.github.cameltokenrefresh.internal.account.TokenAcquisition.Attempt;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.token.AccountDisconnectedException;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed refresh leaves behind: the account's backoff (or its dead state after {@code invalid_grant}), the token
 * endpoint's pause for every account after a 429/503 or no answer, the counters and the event. After an invalidate
 * that came in during the refresh, the account's state is left as the invalidate made it.
 */
final class RefreshFailure {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshFailure.class);

    private RefreshFailure() {
    }

    /** Records a failed refresh of the account, which began in {@code epoch}. */
    static void record(AccountTokenCache cache, int epoch, TokenRefreshException e, Instant now, Attempt attempt) {
        AccountEnvironment env = cache.env();
        String account = cache.account();
        if (e instanceof RefreshBackoffException && attempt.tokenCalls == 0) {
            // no token call was made and nothing failed (no rate-limit permit, or the endpoint paused again while this
            // refresh waited for the probe): the account is only deferred, it does not back off
            LOG.debug("{}", e.getMessage());
            return;
        }
        if (e instanceof AccountDisconnectedException gone) {
            // the record is gone: disconnected on another replica; this one forgets its token too
            cache.commit(epoch, current -> current.disconnected(gone, null));
            LOG.warn("{}: its record was deleted by another instance; no token is handed out", e.getMessage());
            env.observer().onEvent(new TokenEvent(TokenEvent.Type.DISCONNECTED, env.provider(), account, now, null,
                                                  null, e.getErrorType(), "disconnected by another instance"));
            return;
        }
        AccountStats stats = cache.stats();
        stats.tokenCalls += attempt.tokenCalls;
        stats.failures++;
        stats.lastErrorType = e.getErrorType();
        stats.lastFailureAt = now;
        AccountState s = cache.state();
        Instant expiresAt = s.token() == null ? null : s.token().getExpiresAt();
        if (e instanceof InvalidGrantException dead) {
            // after an invalidate it is not recorded: invalidate ends a dead state, and is documented to try once more
            cache.commit(epoch, current -> current.withBootstrapTried(attempt.bootstrapTried).withFailure(null)
                    .withDead(dead, attempt.deadRefreshToken));
            LOG.warn("{}", e.getMessage());
            env.observer().onEvent(new TokenEvent(TokenEvent.Type.INVALID_GRANT, env.provider(), account, now, expiresAt,
                                                  attempt.lastCallDuration, e.getErrorType(), e.getMessage()));
            return;
        }
        int attempts = s.failure() == null ? 1 : s.failure().attempts() + 1;
        Instant next = now.plusMillis(env.policy().backoffMillis(attempts, e instanceof TokenEndpointUnavailableException u
                ? u.getRetryAfter() : null));
        // after an invalidate the account does not back off (invalidate ends a backoff); the endpoint's pause stays
        cache.commit(epoch, current -> current.withBootstrapTried(attempt.bootstrapTried)
                .withFailure(new Failure(e, attempts, next)).withDead(current.dead(), attempt.deadRefreshToken));
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

}
