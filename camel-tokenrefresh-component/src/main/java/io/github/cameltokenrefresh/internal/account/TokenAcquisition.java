package io.github.cameltokenrefresh.internal.account;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.FallbackGrant;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenClientStoppedException;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import io.github.cameltokenrefresh.internal.wire.TokenResponseParser;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.ProviderStoppedException;
import io.github.cameltokenrefresh.token.RefreshTokenMissingException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import org.slf4j.Logger;

/**
 * How a new token is obtained for an account: with its refresh token; when that one is refused, with the configured
 * (bootstrap) refresh token, which means the user re-authorized; when neither works or none is known, with the
 * unattended fallback grant. Makes the token calls and parses the answers; keeping the result is the caller's job.
 */
public final class TokenAcquisition {

    private static final Logger LOG = AccountTokenCache.LOG;

    private final String provider;
    private final TokenRequestDialect dialect;
    private final ClientCredentials credentials;
    private final FallbackGrant fallbackGrant;
    private final TokenClient client;
    private final Duration defaultExpiresIn;
    private final Clock clock;
    private final TokenCallRateLimit rateLimit;
    /** The provider's token endpoint pause, which every token call made here passes. */
    private final EndpointBackoff endpoint = new EndpointBackoff();

    /**
     * @param fallbackGrant null without one
     */
    public TokenAcquisition(String provider, TokenRequestDialect dialect, ClientCredentials credentials,
                            FallbackGrant fallbackGrant, TokenClient client, Duration defaultExpiresIn, Clock clock) {
        this(provider, dialect, credentials, fallbackGrant, client, defaultExpiresIn, clock, TokenCallRateLimit.NONE);
    }

    /**
     * @param fallbackGrant null without one
     * @param rateLimit     the provider's maxTokenCallsPerSecond, which every token call made here respects
     */
    public TokenAcquisition(String provider, TokenRequestDialect dialect, ClientCredentials credentials,
                            FallbackGrant fallbackGrant, TokenClient client, Duration defaultExpiresIn, Clock clock,
                            TokenCallRateLimit rateLimit) {
        this.rateLimit = rateLimit;
        this.provider = provider;
        this.dialect = dialect;
        this.credentials = credentials;
        this.fallbackGrant = fallbackGrant;
        this.client = client;
        this.defaultExpiresIn = defaultExpiresIn;
        this.clock = clock;
    }

    TokenCallRateLimit rateLimit() {
        return rateLimit;
    }

    EndpointBackoff endpointBackoff() {
        return endpoint;
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
        if (refreshToken == null && bootstrapRefreshToken != null && !attempt.bootstrapTried) {
            // configured by an endpoint that started after the account was first used
            refreshToken = bootstrapRefreshToken;
            attempt.bootstrapTried = true;
        }
        if (refreshToken == null) {
            if (fallbackGrant != null) {
                return callFallbackGrant(account, "no refresh token is stored or configured", attempt);
            }
            throw new RefreshTokenMissingException(provider, account);
        }
        try {
            return refresh(account, current, refreshToken, attempt);
        } catch (InvalidGrantException e) {
            if (bootstrapRefreshToken != null && !attempt.bootstrapTried && !bootstrapRefreshToken.equals(refreshToken)) {
                // the stored refresh token is dead but the configuration names another one: the user re-authorized
                attempt.bootstrapTried = true;
                LOG.info("tokenrefresh:{} account '{}': stored refresh token refused (invalid_grant); trying the "
                         + "configured refreshToken", provider, account);
                try {
                    return refresh(account, current, bootstrapRefreshToken, attempt);
                } catch (InvalidGrantException again) {
                    attempt.deadRefreshToken = bootstrapRefreshToken;
                    if (fallbackGrant == null) {
                        throw again;
                    }
                }
            }
            attempt.deadRefreshToken = attempt.deadRefreshToken == null ? refreshToken : attempt.deadRefreshToken;
            if (fallbackGrant != null) {
                return callFallbackGrant(account, "the refresh token was refused (invalid_grant)", attempt);
            }
            throw e;
        }
    }

    /** The unattended initial grant: a new token pair without a person, when refreshing cannot work. */
    private Token callFallbackGrant(String account, String why, Attempt attempt) {
        LOG.info("tokenrefresh:{} account '{}': {}; obtaining a new token pair with the {} grant", provider, account, why,
                 fallbackGrant.fallbackGrant());
        return call(account, null, fallbackGrant.encode(dialect, credentials), null, attempt);
    }

    private Token refresh(String account, Token current, String refreshToken, Attempt attempt) {
        if (refreshToken.equals(attempt.deadRefreshToken)) {
            InvalidGrantException dead = attempt.deadCause;
            throw new InvalidGrantException(provider, account, dead == null ? 400 : dead.getStatusCode(),
                                            dead == null ? null : dead.getErrorDescription());
        }
        return call(account, current, dialect.encode(credentials, refreshToken), refreshToken, attempt);
    }

    /** One token call. {@code refreshToken} is the one sent, or null for another grant. */
    private Token call(String account, Token current, TokenRequest request, String refreshToken, Attempt attempt) {
        // every grant (refresh, configured refresh token, fallback) passes here, so the limit holds for all of them
        rateLimit.acquire(account, attempt.mayWaitForPermit);
        endpoint.beforeCall(provider, account, clock.millis());
        Instant sentAt = clock.instant();
        attempt.tokenCalls++;
        attempt.sentRefreshToken = refreshToken;
        TokenResponse response;
        try {
            response = client.send(request);
        } catch (IOException e) {
            attempt.lastCallDuration = Duration.between(sentAt, clock.instant());
            throw new TokenEndpointUnavailableException(provider, account, 0, null,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (TokenClientStoppedException e) {
            // nothing was sent (the refresh token is unspent) and the endpoint is fine: this provider is stopping
            attempt.tokenCalls--;
            attempt.sentRefreshToken = null;
            endpoint.succeeded();
            throw new ProviderStoppedException(provider, account, e);
        } catch (RuntimeException | Error e) {
            endpoint.succeeded(); // not about the endpoint: a probe must not hold the others until its timeout
            throw e;
        }
        if (!TokenResponseParser.isEndpointTrouble(response)) {
            endpoint.succeeded(); // it answered; a 429/503 is recorded with its pause by the account's failure
        }
        attempt.lastCallDuration = Duration.between(sentAt, clock.instant());
        // lifetimes count from when the request left, so a slow answer never makes a token look fresher than it is
        try {
            Token parsed = new TokenResponseParser(provider, account, defaultExpiresIn)
                    .parse(response, refreshToken, request.secrets(), sentAt);
            return withRefreshTokenAge(parsed, current, refreshToken, sentAt);
        } catch (InvalidTokenResponseException e) {
            // the server may have rotated before answering badly: a new refresh token in the answer must not be lost
            attempt.rescuedRefreshToken = TokenResponseParser.rotatedRefreshToken(response, refreshToken);
            attempt.rescuedAt = sentAt;
            throw e;
        }
    }

    /** A rotated refresh token is new as of this call; an unchanged one keeps the age it had. */
    private static Token withRefreshTokenAge(Token token, Token previous, String refreshTokenSent, Instant sentAt) {
        Instant since = sentAt;
        if (refreshTokenSent != null && refreshTokenSent.equals(token.getRefreshToken()) && previous != null
            && refreshTokenSent.equals(previous.getRefreshToken()) && previous.getRefreshTokenIssuedAt() != null) {
            since = previous.getRefreshTokenIssuedAt();
        }
        return token.toBuilder().refreshTokenIssuedAt(since).build();
    }
}
