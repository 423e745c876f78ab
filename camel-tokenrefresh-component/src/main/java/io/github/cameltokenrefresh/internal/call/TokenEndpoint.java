package io.github.cameltokenrefresh.internal.call;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.cameltokenrefresh.internal.dpop.DpopProofs;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenClientStoppedException;
import io.github.cameltokenrefresh.internal.wire.TokenGrant;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import io.github.cameltokenrefresh.internal.wire.TokenResponseParser;
import io.github.cameltokenrefresh.token.AccountAttributeMissingException;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.ProviderStoppedException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenErrorResponseException;
import io.github.cameltokenrefresh.token.TokenRefreshException;

/**
 * The one place a provider's token calls are made, whatever the grant: the rate-limit permit, the endpoint's
 * provider-wide pause and probe, the request in the provider's dialect with the client's authentication, the HTTP
 * call through the {@link TokenClient} (whose connect and response timeouts are the call's deadline), and the answer
 * parsed and classified:
 * <ul>
 * <li>a token: returned; the endpoint works (a pause ends);</li>
 * <li>invalid_grant ({@link InvalidGrantException}) or another RFC 6749 error ({@link TokenErrorResponseException}):
 * thrown; the endpoint works, the grant or the client does not;</li>
 * <li>429, 408, 5xx or no answer ({@link TokenEndpointUnavailableException}): thrown; every call of the provider
 * pauses ({@link EndpointBackoff}), until the account's next attempt (the account records it with its failure) or,
 * for a caller without a backoff of its own, for the backoff's first step or Retry-After;</li>
 * <li>anything else ({@link InvalidTokenResponseException}, naming {@code tokenUrl} on a 404): thrown, with a rotated
 * refresh token it carried kept in the {@link CallRecord}.</li>
 * </ul>
 * Whoever calls keeps the result; what a refresh does with it is {@code TokenAcquisition}'s.
 */
public final class TokenEndpoint {

    private static final Runnable NO_CHECK = () -> {
    };

    private final String provider;
    private final TokenRequestDialect dialect;
    private final ClientAuthenticator clientAuthentication;
    private final TokenClient client;
    private final Duration defaultExpiresIn;
    private final Clock clock;
    private final TokenCallRateLimit rateLimit;
    private final EndpointBackoff backoff;
    /** Null without DPoP. */
    private final DpopTokenRequests dpop;

    /**
     * @param rateLimit the provider's maxTokenCallsPerSecond ({@link TokenCallRateLimit#NONE} without one)
     * @param backoff   the provider's endpoint pause, shared with its accounts, which read it
     */
    public TokenEndpoint(String provider, TokenRequestDialect dialect, ClientAuthenticator clientAuthentication,
                         TokenClient client, Duration defaultExpiresIn, Clock clock, TokenCallRateLimit rateLimit,
                         EndpointBackoff backoff) {
        this(provider, dialect, clientAuthentication, client, defaultExpiresIn, clock, rateLimit, backoff, null);
    }

    /** @param dpop the provider's DPoP proofs, or null: token requests carry a proof */
    public TokenEndpoint(String provider, TokenRequestDialect dialect, ClientAuthenticator clientAuthentication,
                         TokenClient client, Duration defaultExpiresIn, Clock clock, TokenCallRateLimit rateLimit,
                         EndpointBackoff backoff, DpopProofs dpop) {
        this.dpop = dpop == null ? null : new DpopTokenRequests(dpop, dialect.tokenUrl());
        this.provider = provider;
        this.dialect = dialect;
        this.clientAuthentication = clientAuthentication;
        this.client = client;
        this.defaultExpiresIn = defaultExpiresIn;
        this.clock = clock;
        this.rateLimit = rateLimit;
        this.backoff = backoff;
    }

    public String provider() {
        return provider;
    }

    /** The provider's clock, which dates what a grant signs. */
    public Clock clock() {
        return clock;
    }

    public TokenCallRateLimit rateLimit() {
        return rateLimit;
    }

    public EndpointBackoff backoff() {
        return backoff;
    }

    /** Whether requests identify the client; without, a grant that must name the client does so itself. */
    public boolean identifiesClient() {
        return clientAuthentication.identifiesClient();
    }

    /**
     * One token call of {@code account} with {@code grant}.
     *
     * @param mayWaitForPermit whether the caller may wait for a rate-limit permit: only one that needs the token now
     * @param accountBacksOff  whether the caller is an account, which pauses the endpoint until its own next attempt
     *                         ({@link EndpointBackoff#failed}) on a 429/503/unreachable; else the call pauses it here
     * @param record           filled in as the call goes, for the caller's statistics and rescue
     * @return the token, issued (and its refresh token new) as of when the request left
     * @throws RefreshBackoffException {@code rate_limited}: no permit to be had; nothing was sent
     * @throws RefreshBackoffException     the endpoint is paused; nothing was sent
     * @throws TokenRefreshException       as classified above
     */
    public Token call(String account, TokenGrant grant, boolean mayWaitForPermit, boolean accountBacksOff,
                      CallRecord record) {
        return call(account, Map.of(), grant, mayWaitForPermit, accountBacksOff, record, NO_CHECK);
    }

    /** As {@link #call(String, Map, TokenGrant, boolean, boolean, CallRecord, Runnable)}, to the provider's URL. */
    public Token call(String account, TokenGrant grant, boolean mayWaitForPermit, boolean accountBacksOff,
                      CallRecord record, Runnable beforeSending) {
        return call(account, Map.of(), grant, mayWaitForPermit, accountBacksOff, record, beforeSending);
    }

    /** As {@link #call(String, TokenGrant, boolean, boolean, CallRecord)}, to the account's own token URL. */
    public Token call(String account, Map<String, String> attributes, TokenGrant grant, boolean mayWaitForPermit,
                      boolean accountBacksOff, CallRecord record) {
        return call(account, attributes, grant, mayWaitForPermit, accountBacksOff, record, NO_CHECK);
    }

    /**
     * As {@link #call(String, TokenGrant, boolean, boolean, CallRecord)}, to the account's own token URL when the
     * provider's is a template its {@code attributes} fill in, with the caller's last step right before the request
     * leaves, after the permit, the pause and the probe: a refresh renews its lease there and marks its refresh token
     * as being sent, so a holder that dies while it waits for a permit has spent nothing.
     *
     * @param beforeSending throws to send nothing (the lease was lost); its exception is the call's
     * @throws AccountAttributeMissingException the URL needs an attribute the account lacks; nothing was sent
     */
    public Token call(String account, Map<String, String> attributes, TokenGrant grant, boolean mayWaitForPermit,
                      boolean accountBacksOff, CallRecord record, Runnable beforeSending) {
        URI url = grant.refreshToken() != null ? dialect.refreshUrlFor(provider, account, attributes)
                : dialect.tokenUrlFor(provider, account, attributes);
        URI ownUrl = url == dialect.tokenUrl() ? null : url;
        EndpointBackoff.Pause paused = backoff.pausedAt(clock.millis());
        if (paused != null) {
            throw EndpointBackoff.refusal(provider, account, paused); // before the permit: a pause uses up none
        }
        rateLimit.acquire(account, mayWaitForPermit);
        backoff.beforeCall(provider, account, clock.millis());
        TokenRequest request;
        try {
            beforeSending.run();
            // encoded last: a signed client assertion or DPoP proof is as fresh as the request that carries it
            request = encode(grant, ownUrl);
        } catch (RuntimeException | Error e) {
            backoff.notSent(); // a probe that was never sent must not hold the others until its timeout
            throw e;
        }
        Instant sentAt = clock.instant();
        record.sent(sentAt);
        TokenResponse response;
        try {
            response = client.send(request);
            if (dpop != null && dpop.retryWithNonce(response)) {
                request = encode(grant, ownUrl); // one retry, its proof (and any signed assertion) made anew, with the nonce
                response = client.send(request);
                dpop.retryWithNonce(response); // keeps a nonce it brought; no second retry
            }
        } catch (IOException e) {
            record.answered(clock.instant());
            TokenEndpointUnavailableException unreachable = new TokenEndpointUnavailableException(provider, account, 0,
                    null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            if (!accountBacksOff) {
                backoff.troubled(unreachable, clock.instant());
            }
            throw unreachable;
        } catch (TokenClientStoppedException e) {
            // nothing left (the refresh token is unspent) and the endpoint is fine: this provider is stopping
            record.unsent();
            backoff.succeeded();
            throw new ProviderStoppedException(provider, account, e);
        } catch (RuntimeException | Error e) {
            backoff.succeeded(); // not about the endpoint: a probe must not hold the others until its timeout
            throw e;
        }
        Instant answeredAt = clock.instant();
        record.answered(answeredAt);
        // lifetimes count from when the request left, so a slow answer never makes a token look fresher than it is
        TokenResponseParser parser = new TokenResponseParser(provider, account, defaultExpiresIn, url,
                                                             dialect.responseFields());
        try {
            Token token = parser.parse(response, grant.refreshToken(), request.secrets(), sentAt);
            backoff.succeeded();
            return token.toBuilder().refreshTokenIssuedAt(sentAt).build();
        } catch (TokenEndpointUnavailableException e) {
            if (!accountBacksOff) {
                backoff.troubled(e, answeredAt);
            }
            throw e;
        } catch (InvalidTokenResponseException e) {
            backoff.succeeded();
            // the server may have rotated before answering badly: a new refresh token in the answer must not be lost
            record.rescued(TokenResponseParser.rotatedRefreshToken(response, grant.refreshToken()));
            throw e;
        } catch (TokenRefreshException e) {
            backoff.succeeded(); // invalid_grant or another error the server stands by: it works
            throw e;
        }
    }

    private TokenRequest encode(TokenGrant grant, URI url) {
        TokenRequest request = dialect.encode(grant, clientAuthentication, url);
        return dpop == null ? request : dpop.prove(request);
    }

    @Override
    public String toString() {
        return "TokenEndpoint[" + provider + ", " + clientAuthentication + ", " + rateLimit + "]";
    }
}
