package io.github.cameltokenrefresh.internal.authorize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.cameltokenrefresh.internal.ProviderDefinition.Authorization;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.authorize.CallbackResult.Outcome;
import io.github.cameltokenrefresh.internal.authorize.SignedState.Claims;
import io.github.cameltokenrefresh.internal.authorize.SignedState.Refused;
import io.github.cameltokenrefresh.internal.call.CallRecord;
import io.github.cameltokenrefresh.internal.call.TokenEndpoint;
import io.github.cameltokenrefresh.internal.wire.AuthorizationCodeGrant;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.FormEncoding;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization-code flow of one provider (RFC 6749 §4.1 with PKCE, RFC 7636): the link that starts it for an
 * account, and the callback that checks the state, exchanges the code through the provider's {@link TokenEndpoint} (its
 * rate limit and pause, like every token call), and saves the token pair through the account before answering.
 */
public final class AuthorizationCodeFlow {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodeFlow.class);

    private final String provider;
    private final Authorization settings;
    private final ClientCredentials credentials;
    private final TokenEndpoint tokenEndpoint;
    private final Clock clock;
    private final Function<String, AccountTokenCache> accounts;
    private final Consumer<TokenEvent> events;
    private final SignedState states;
    private final UsedNonces usedNonces = new UsedNonces();

    /**
     * @param credentials   whose client id the link names
     * @param tokenEndpoint the provider's token calls: the code exchange takes a rate-limit permit like a waiting
     *                      caller and passes the endpoint's pause (an endpoint in trouble would refuse the code anyway)
     */
    public AuthorizationCodeFlow(Authorization settings, ClientCredentials credentials, TokenEndpoint tokenEndpoint,
                                 Clock clock, Function<String, AccountTokenCache> accounts,
                                 Consumer<TokenEvent> events) {
        this.provider = tokenEndpoint.provider();
        this.settings = settings;
        this.credentials = credentials;
        this.tokenEndpoint = tokenEndpoint;
        this.clock = clock;
        this.accounts = accounts;
        this.events = events;
        this.states = new SignedState(settings.stateSecret());
    }

    /** The flow's options, for its pages. */
    public Authorization settings() {
        return settings;
    }

    /** A fresh link that authorizes the account: it carries a signed state and the PKCE challenge, never a secret. */
    public String authorizationUrl(String account) {
        String state = states.issue(provider, account, clock.instant().plus(settings.stateTtl()));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", credentials.clientId());
        query.put("redirect_uri", settings.redirectUri().toString());
        if (settings.scope() != null) {
            query.put("scope", settings.scope());
        }
        query.putAll(settings.parameters());
        query.put("state", state);
        if (settings.pkce()) {
            query.put("code_challenge", SignedState.challenge(states.verifier(nonce(state))));
            query.put("code_challenge_method", "S256");
        }
        // a link per tenant or shop: filled from the attributes the account was given before its link was asked for
        String base = settings.authorizationUrlTemplate().isTemplated()
                ? settings.authorizationUrlTemplate().resolve(provider, account, accounts.apply(account).attributes())
                        .toString()
                : settings.authorizationUrl().toString();
        return base + (base.contains("?") ? "&" : "?") + FormEncoding.encode(query);
    }

    /** After an invalid_grant: the fix, next to the problem (the same category as its warning). */
    public void logReauthorization(String account) {
        LOG.warn("tokenrefresh:{} account '{}': re-authorize it with this link (valid {}): {}", provider, account,
                 settings.stateTtl(), authorizationUrl(account));
    }

    /**
     * After the one event that says only a person can save the account (its refresh token nearly spent, or refused):
     * a REAUTHORIZATION_NEEDED event with a fresh link, for a route to mail or post; null after any other event. Each
     * of the two causes is sent once per refresh token, so this is too.
     */
    public TokenEvent reauthorizationNeeded(TokenEvent cause) {
        String why = switch (cause.type()) {
            case INVALID_GRANT -> "its refresh token was refused";
            case REFRESH_TOKEN_EXPIRING -> "its refresh token expires soon";
            default -> null;
        };
        if (why == null) {
            return null;
        }
        return new TokenEvent(TokenEvent.Type.REAUTHORIZATION_NEEDED, provider, cause.account(), cause.time(),
                              cause.expiresAt(), null, cause.errorType(), "account '" + cause.account() + "' needs its"
                              + " owner to authorize it again (" + why + "): send them the link, valid "
                              + settings.stateTtl(), authorizationUrl(cause.account()));
    }

    /**
     * Handles the provider's redirect back.
     *
     * @param code  the code parameter, or null
     * @param state the state parameter, or null
     * @param error the error parameter (RFC 6749 §4.1.2.1), or null
     */
    public CallbackResult callback(String code, String state, String error) {
        return callback(code, state, error, Map.of());
    }

    /** The query parameters of the callback this provider keeps as account attributes (QuickBooks' realmId). */
    public List<String> callbackAttributes() {
        return settings.callbackAttributes();
    }

    /**
     * As {@link #callback(String, String, String)}, with the callback's {@link #callbackAttributes()}: they join the
     * account's attributes before the code exchange (a shop's token URL needs its shop).
     */
    public CallbackResult callback(String code, String state, String error, Map<String, String> callbackAttributes) {
        Instant now = clock.instant();
        Claims claims;
        try {
            claims = ours(state);
        } catch (Refused refused) {
            LOG.warn("tokenrefresh:{} authorization callback refused: {}", provider, refused.getMessage());
            return new CallbackResult(400, null, Outcome.INVALID, refused.getMessage());
        }
        String account = claims.account();
        boolean expired = !now.isBefore(claims.expiresAt());
        if (expired || !usedNonces.claim(claims.nonce(), claims.expiresAt(), now)) {
            return unusable(account, expired);
        }
        if (error != null && !error.isBlank()) {
            String errorType = error.matches("[A-Za-z0-9_.-]{1,64}") ? error : "unknown_error";
            Outcome outcome = "access_denied".equals(errorType) ? Outcome.DENIED : Outcome.FAILED;
            return failed(account, 400, outcome, errorType, "the provider answered " + errorType, null);
        }
        if (code == null || code.isBlank()) {
            return failed(account, 400, Outcome.FAILED, "invalid_request", "the callback carries no code", null);
        }
        CallRecord call = new CallRecord();
        Token token;
        try {
            // a person waits: the exchange may wait for a permit, and has no backoff of its own to pause the endpoint
            Map<String, String> attributes = new LinkedHashMap<>(accounts.apply(account).attributes());
            attributes.putAll(callbackAttributes);
            token = tokenEndpoint.call(account, attributes, grant(code, claims.nonce()), true, false, call);
            token = token.toBuilder().attributes(callbackAttributes).build();
        } catch (RefreshBackoffException e) {
            if (!"rate_limited".equals(e.getErrorType())) {
                return failed(account, 503, Outcome.BUSY, e.getErrorType(), "the token endpoint is paused after errors"
                                                                              + " until " + e.getNextAttempt(), e);
            }
            return failed(account, 503, Outcome.BUSY, e.getErrorType(), "too many token calls at the moment"
                                                                          + " (maxTokenCallsPerSecond)", e);
        } catch (TokenRefreshException e) {
            return failed(account, 502, Outcome.FAILED, e.getErrorType(), "the token endpoint did not exchange the code"
                                                                            + " (" + e.getErrorType() + ")", e);
        }
        try {
            accounts.apply(account).supplyAuthorizedToken(token);
        } catch (TokenRefreshException e) {
            return failed(account, 500, Outcome.FAILED, e.getErrorType(), "the token could not be saved ("
                                                                            + e.getErrorType() + ")", e);
        }
        Duration took = Duration.between(call.sentAt(), clock.instant());
        events.accept(new TokenEvent(TokenEvent.Type.AUTHORIZED, provider, account, clock.instant(),
                                     token.getExpiresAt(), took, null, "account authorized"));
        return new CallbackResult(200, account, Outcome.CONNECTED, "account authorized");
    }

    /** The claims of a state this provider signed (its time and single use are checked by the caller). */
    private Claims ours(String state) throws Refused {
        Claims claims = states.verify(state);
        if (!provider.equals(claims.provider())) {
            throw new Refused("the link was issued for another provider");
        }
        return claims;
    }

    /**
     * A genuine link that cannot be used again: expired, or presented before. When its account is connected, this is
     * a reload of the success page (or an old link of a connected account): say so, with no token call and nothing
     * stored. The signature proved the link was issued for that account, so this tells its holder nothing new.
     */
    private CallbackResult unusable(String account, boolean expired) {
        String why = expired ? "the link expired" : "the link was used already";
        if (connected(account)) {
            LOG.debug("tokenrefresh:{} account '{}': {}; the account is connected", provider, account, why);
            return new CallbackResult(200, account, Outcome.ALREADY_CONNECTED, why + "; the account is connected");
        }
        LOG.warn("tokenrefresh:{} authorization callback refused: {}", provider, why);
        return new CallbackResult(400, account, expired ? Outcome.EXPIRED : Outcome.INVALID, why);
    }

    private boolean connected(String account) {
        TokenState state = accounts.apply(account).status().state();
        return state != TokenState.DEAD && state != TokenState.NO_TOKEN;
    }

    /** The code, with the PKCE verifier derived from the link's nonce; a public client names itself. */
    private AuthorizationCodeGrant grant(String code, String nonce) {
        return new AuthorizationCodeGrant(code, settings.redirectUri().toString(),
                                          settings.pkce() ? states.verifier(nonce) : null,
                                          tokenEndpoint.identifiesClient() ? null : credentials.clientId());
    }

    private CallbackResult failed(String account, int status, Outcome outcome, String errorType, String what,
                                  Exception cause) {
        LOG.warn("tokenrefresh:{} account '{}': authorization failed: {}{}", provider, account, what,
                 cause == null ? "" : ": " + cause.getMessage());
        events.accept(new TokenEvent(TokenEvent.Type.AUTHORIZATION_FAILED, provider, account, clock.instant(), null,
                                     null, errorType, what));
        return new CallbackResult(status, account, outcome, what);
    }

    private static String nonce(String state) {
        return state.split("\\.")[3];
    }

    @Override
    public String toString() {
        return "AuthorizationCodeFlow[" + provider + ", " + settings + "]";
    }
}
