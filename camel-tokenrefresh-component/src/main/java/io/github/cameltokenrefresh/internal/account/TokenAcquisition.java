package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;

import io.github.cameltokenrefresh.internal.call.CallRecord;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.internal.call.TokenEndpoint;
import io.github.cameltokenrefresh.internal.wire.FallbackGrant;
import io.github.cameltokenrefresh.internal.wire.RefreshTokenGrant;
import io.github.cameltokenrefresh.internal.wire.TokenGrant;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.RefreshTokenMissingException;
import io.github.cameltokenrefresh.token.Token;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a new token is obtained for an account: with its refresh token; when that one is refused, with the configured
 * (bootstrap) refresh token, which means the user re-authorized; when neither works or none is known, with the
 * unattended fallback grant. Chooses the grants; {@link TokenEndpoint} makes the calls; keeping the result is the
 * caller's job.
 */
public final class TokenAcquisition {

    private static final Logger LOG = LoggerFactory.getLogger(TokenAcquisition.class);

    private final String provider;
    /** Every token call made here goes through it: rate limit, the endpoint's pause, the call, the answer. */
    private final TokenEndpoint endpoint;
    /** Null without one. */
    private final FallbackGrant fallbackGrant;
    private final boolean onboardedByLink;

    /** @param fallbackGrant null without one */
    public TokenAcquisition(TokenEndpoint endpoint, FallbackGrant fallbackGrant) {
        this(endpoint, fallbackGrant, false);
    }

    /** @param onboardedByLink the provider runs the authorization-code flow: a missing refresh token says so */
    public TokenAcquisition(TokenEndpoint endpoint, FallbackGrant fallbackGrant, boolean onboardedByLink) {
        this.provider = endpoint.provider();
        this.endpoint = endpoint;
        this.fallbackGrant = fallbackGrant;
        this.onboardedByLink = onboardedByLink;
    }

    TokenCallRateLimit rateLimit() {
        return endpoint.rateLimit();
    }

    EndpointBackoff endpointBackoff() {
        return endpoint.backoff();
    }

    /**
     * What one refresh learned besides its result, read by the token cache whether it succeeded or not: how many
     * token calls it made and how long the last took, which refresh token turned out dead, whether the bootstrap
     * refresh token was tried, and a rotated refresh token rescued from an unusable answer.
     */
    static final class Attempt {
        String deadRefreshToken;
        InvalidGrantException deadCause;
        boolean bootstrapTried;
        int tokenCalls;
        Duration lastCallDuration;
        /** The refresh token the last call sent; null when it used another grant. */
        String sentRefreshToken;
        String rescuedRefreshToken;
        Instant rescuedAt;
        /** Whether a token call may wait for a rate-limit permit: only for a caller that needs the token now. */
        boolean mayWaitForPermit;
        /**
         * Run right before each request leaves, after its permit, pause and probe (the lease renewed and marked as
         * sending); throwing sends nothing.
         */
        Runnable beforeSending = () -> {
        };

        Attempt(AccountState state) {
            deadRefreshToken = state.deadRefreshToken();
            deadCause = state.dead();
            bootstrapTried = state.bootstrapTried();
        }
    }

    /**
     * A new token for the account whose current token (possibly only a refresh token) is {@code current}.
     *
     * @param bootstrapRefreshToken the configured refresh token of the account, or null
     */
    Token acquire(String account, Token current, String bootstrapRefreshToken, Attempt attempt) {
        String refreshToken = current == null ? null : current.getRefreshToken();
        boolean configured = false;
        if (refreshToken == null && bootstrapRefreshToken != null && !attempt.bootstrapTried) {
            // configured by an endpoint that started after the account was first used
            refreshToken = bootstrapRefreshToken;
            attempt.bootstrapTried = true;
            configured = true;
        }
        if (refreshToken == null) {
            if (fallbackGrant != null) {
                return callFallbackGrant(account, current, "no refresh token is stored or configured", attempt);
            }
            throw new RefreshTokenMissingException(provider, account, onboardedByLink);
        }
        try {
            return refresh(account, current, configured ? RefreshTokenGrant.configured(refreshToken)
                    : RefreshTokenGrant.stored(refreshToken), attempt);
        } catch (InvalidGrantException e) {
            if (bootstrapRefreshToken != null && !attempt.bootstrapTried && !bootstrapRefreshToken.equals(refreshToken)) {
                // the stored refresh token is dead but the configuration names another one: the user re-authorized
                attempt.bootstrapTried = true;
                LOG.info("tokenrefresh:{} account '{}': stored refresh token refused (invalid_grant); trying the "
                         + "configured refreshToken", provider, account);
                try {
                    return refresh(account, current, RefreshTokenGrant.configured(bootstrapRefreshToken), attempt);
                } catch (InvalidGrantException again) {
                    attempt.deadRefreshToken = bootstrapRefreshToken;
                    if (fallbackGrant == null) {
                        throw again;
                    }
                }
            }
            attempt.deadRefreshToken = attempt.deadRefreshToken == null ? refreshToken : attempt.deadRefreshToken;
            if (fallbackGrant != null) {
                return callFallbackGrant(account, current, "the refresh token was refused (invalid_grant)", attempt);
            }
            throw e;
        }
    }

    /** The unattended initial grant: a new token pair without a person, when refreshing cannot work. */
    private Token callFallbackGrant(String account, Token current, String why, Attempt attempt) {
        LOG.info("tokenrefresh:{} account '{}': {}; obtaining a new token pair with the {} grant", provider, account, why,
                 fallbackGrant.fallbackGrant());
        return call(account, current, fallbackGrant.grant(endpoint.clock(), account), attempt);
    }

    private Token refresh(String account, Token current, RefreshTokenGrant grant, Attempt attempt) {
        if (grant.refreshToken().equals(attempt.deadRefreshToken)) {
            InvalidGrantException dead = attempt.deadCause;
            throw new InvalidGrantException(provider, account, dead == null ? 400 : dead.getStatusCode(),
                                            dead == null ? null : dead.getErrorDescription());
        }
        return call(account, current, grant, attempt);
    }

    /** One token call, through the provider's one way to the token endpoint; what it did goes into the attempt. */
    private Token call(String account, Token current, TokenGrant grant, Attempt attempt) {
        CallRecord record = new CallRecord();
        try {
            // a 429/503/unreachable pauses the endpoint until the account's next attempt, recorded with its failure
            Token token = endpoint.call(account, AccountAttributes.of(current), grant, attempt.mayWaitForPermit, true,
                                        record, attempt.beforeSending);
            return AccountAttributes.carriedOver(current,
                                                 withRefreshTokenAge(token, current, grant.refreshToken(), record.sentAt()));
        } finally {
            if (record.sent()) {
                attempt.tokenCalls++;
                attempt.sentRefreshToken = grant.refreshToken();
                if (record.took() != null) {
                    attempt.lastCallDuration = record.took();
                }
            }
            if (record.rescuedRefreshToken() != null) {
                attempt.rescuedRefreshToken = record.rescuedRefreshToken();
                attempt.rescuedAt = record.sentAt();
            }
        }
    }

    /** A rotated refresh token is new as of this call; an unchanged one keeps the age it had. */
    private static Token withRefreshTokenAge(Token token, Token previous, String refreshTokenSent, Instant sentAt) {
        Instant since = sentAt;
        boolean unchanged = refreshTokenSent != null && refreshTokenSent.equals(token.getRefreshToken())
                            && previous != null && refreshTokenSent.equals(previous.getRefreshToken());
        if (unchanged && previous.getRefreshTokenIssuedAt() != null) {
            since = previous.getRefreshTokenIssuedAt();
        }
        Token.Builder aged = token.toBuilder().refreshTokenIssuedAt(since);
        if (unchanged && token.getRefreshTokenExpiresAt() == null) {
            aged.refreshTokenExpiresAt(previous.getRefreshTokenExpiresAt()); // the same token ends when it did
        }
        return aged.build();
    }
}
