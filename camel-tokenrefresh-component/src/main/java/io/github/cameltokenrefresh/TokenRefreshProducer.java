package io.github.cameltokenrefresh;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.cameltokenrefresh.assembly.AuthorizationCallbackStep;
import io.github.cameltokenrefresh.assembly.CallbackPages;
import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.call.TokenRevocation;
import io.github.cameltokenrefresh.internal.dpop.DpopPresentation;
import io.github.cameltokenrefresh.route.SendTimeDecoration;
import io.github.cameltokenrefresh.route.TokenDecoration;
import io.github.cameltokenrefresh.route.TokenDecorations;
import io.github.cameltokenrefresh.route.UnauthorizedPredicate;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the endpoint's operation against the shared tokens of the provider and account. */
public class TokenRefreshProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefreshProducer.class);

    private static final UnauthorizedPredicate UNAUTHORIZED = new UnauthorizedPredicate();

    private final TokenRefreshEndpoint endpoint;
    private volatile Provider provider;
    private String prefix;
    /** The last token and its header value, so the hot path does not build the same string again. */
    private volatile HeaderValue lastHeader;
    /** The provider's DPoP presentation once looked up; null without DPoP. */
    private volatile DpopPresentation dpop;
    private volatile boolean dpopResolved;
    /** The tokens of the endpoint's own account, so the hot path needs no map lookup. */
    private volatile AccountTokens ownAccount;
    /** The callback's pages (operation authorizationCallback), read as the producer starts. */
    private volatile CallbackPages pages;

    public TokenRefreshProducer(TokenRefreshEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.checkOptions();
        if (endpoint.getHeaderName() == null || endpoint.getHeaderName().isBlank()) {
            throw InvalidOption.of(endpoint.getProvider(), "headerName", "must not be blank");
        }
        if (endpoint.getAccount() == null || endpoint.getAccount().isBlank()) {
            throw InvalidOption.of(endpoint.getProvider(), "account", "must not be blank");
        }
        String p = endpoint.getHeaderPrefix();
        prefix = p == null || p.isEmpty() ? "" : p + " ";
        TokenDecorations.of(endpoint.getCamelContext()).registerHeader(endpoint.getHeaderName(), prefix);
        // While the context starts, every route's endpoints exist before any producer starts, so an unknown
        // provider is an error now. A route added to a running context starts before the routes added after it
        // (even in the same RouteBuilder) exist: a name-only endpoint may then wait for a later definition.
        boolean addedAtRuntime = endpoint.getCamelContext().isStarted();
        if (!addedAtRuntime || endpoint.isDeclaresProvider() || endpoint.getComponent().isKnown(endpoint.getProvider())) {
            resolveProvider(); // fail at route start when the configuration is wrong
            warnIfTokenFollowsMessage();
            if (endpoint.getOperation() == TokenRefreshOperation.authorizationUrl
                || endpoint.getOperation() == TokenRefreshOperation.authorizationCallback) {
                AuthorizationCallbackStep.flow(provider);
            }
            if (endpoint.getOperation() == TokenRefreshOperation.authorizationCallback) {
                AuthorizationCallbackStep.checkCallbackPath(provider, endpoint.getCallbackPath());
                pages = AuthorizationCallbackStep.pages(provider, endpoint.getCamelContext());
            }
        } else {
            try {
                resolveProvider();
            } catch (IllegalArgumentException e) {
                // resolved on first use, where the same error surfaces if the provider is still undefined
                LOG.debug("tokenrefresh:{} is not defined yet; resolving it on first use", endpoint.getProvider());
            }
        }
    }

    /** A step that puts a token on the message of a provider without an API base: the token goes wherever it goes. */
    private void warnIfTokenFollowsMessage() {
        TokenRefreshOperation op = endpoint.getOperation();
        SendTimeDecoration decoration = SendTimeDecoration.find(endpoint.getCamelContext());
        if (decoration != null && (op == TokenRefreshOperation.decorate || op == TokenRefreshOperation.refresh
                                   || op == TokenRefreshOperation.refreshIfExpiring)) {
            decoration.warnIfNoApiBase(provider);
        }
    }

    @Override
    protected void doStop() throws Exception {
        // the provider may be stopped and replaced while this producer is stopped (its endpoint released it)
        provider = null;
        ownAccount = null;
        lastHeader = null;
        pages = null;
        super.doStop();
    }

    private Provider resolveProvider() {
        Provider p = provider;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (provider == null) {
                Provider resolved = endpoint.resolveProvider();
                endpoint.getComponent().checkRecord(resolved, endpoint.getAccount());
                String refreshToken = endpoint.getConfiguration().getRefreshToken();
                if (refreshToken != null && !refreshToken.isBlank()) {
                    resolved.registerBootstrapRefreshToken(endpoint.getAccount(), refreshToken);
                }
                resolved.onProducerStart(endpoint.getAccount());
                provider = resolved;
            }
            return provider;
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        TokenRefreshOperation operation = message.getHeader(TokenRefreshConstants.OPERATION, endpoint.getOperation(),
                                                            TokenRefreshOperation.class);
        String account = message.getHeader(TokenRefreshConstants.ACCOUNT, endpoint.getAccount(), String.class);
        if (operation == TokenRefreshOperation.refreshDue) {
            message.setBody(resolveProvider().refreshDue());
            return;
        }
        if (operation == TokenRefreshOperation.authorizationCallback) {
            // the account comes from the signed state, never from the request
            Provider p = resolveProvider();
            if (pages == null) {
                pages = AuthorizationCallbackStep.pages(p, endpoint.getCamelContext());
            }
            AuthorizationCallbackStep.callback(p, message, pages);
            return;
        }
        if (operation == TokenRefreshOperation.disconnect) {
            TokenRevocation.Outcome outcome = resolveProvider().disconnect(account);
            message.setHeader(TokenRefreshConstants.REVOKED, outcome == TokenRevocation.Outcome.REVOKED);
            message.setBody(outcome.name().toLowerCase(Locale.ROOT)); // revoked, no_endpoint, nothing_to_revoke
            return;
        }
        if (operation == TokenRefreshOperation.authorizationUrl) {
            supplyAttributes(message, resolveProvider().account(account));
            AuthorizationCallbackStep.authorizationUrl(resolveProvider(), message, account);
            return;
        }
        AccountTokens tokens = account.equals(endpoint.getAccount()) ? ownAccount() : resolveProvider().account(account);
        switch (operation) {
            case decorate:
                decorate(exchange, tokens.token());
                break;
            case refresh:
                String supplied = message.removeHeader(TokenRefreshConstants.REFRESH_TOKEN) instanceof String s ? s : null;
                if (supplied != null && !supplied.isBlank()) {
                    tokens.supplyRefreshToken(supplied);
                }
                supplyAttributes(message, tokens);
                Token refreshed = tokens.refresh();
                decorate(exchange, refreshed);
                describe(message, refreshed);
                break;
            case refreshIfExpiring:
                Token current = tokens.refreshIfExpiring();
                decorate(exchange, current);
                describe(message, current);
                break;
            case refreshIfUnauthorized:
                TokenDecoration decoration = TokenDecoration.of(exchange);
                boolean unauthorized = decoration != null && UNAUTHORIZED.matches(exchange);
                if (unauthorized) {
                    decoration.renew(message);
                }
                message.setHeader(TokenRefreshConstants.RENEWED, unauthorized);
                break;
            case token:
                Token token = tokens.token();
                message.setBody(token.getAccessToken());
                describe(message, token);
                break;
            case invalidate:
                tokens.invalidate();
                break;
            default:
                throw new IllegalArgumentException("unsupported operation " + operation);
        }
    }

    private AccountTokens ownAccount() {
        AccountTokens tokens = ownAccount;
        if (tokens == null) {
            tokens = resolveProvider().account(endpoint.getAccount());
            ownAccount = tokens;
        }
        return tokens;
    }

    /**
     * Puts the token header on the message, and nothing else: a 401 finds the account again from the token
     * (see {@link TokenDecoration#of}), so a decorated exchange costs no exchange property.
     */
    private void decorate(Exchange exchange, Token token) {
        if (DpopPresentation.AUTHORIZATION_SCHEME.equalsIgnoreCase(token.getTokenType()) && dpop() != null) {
            decorateDpop(exchange.getMessage(), token);
            return;
        }
        HeaderValue cached = lastHeader;
        if (cached == null || cached.token() != token) {
            cached = new HeaderValue(token, prefix + token.getAccessToken(),
                                     SendTimeDecoration.apiBaseOf(resolveProvider(), token));
            lastHeader = cached;
        }
        exchange.getMessage().setHeader(endpoint.getHeaderName(), cached.value());
        if (cached.apiBase() != null) {
            exchange.getMessage().setHeader(TokenRefreshConstants.API_BASE, cached.apiBase());
            exchange.setProperty(TokenRefreshConstants.API_BASE_PROPERTY, cached.apiBase());
        }
    }

    /**
     * A DPoP-bound token (RFC 9449 §7.1): {@code Authorization: DPoP <token>} and a proof for the request's method and
     * URL, which the producer knows only from the CamelHttpUri header set before it (and CamelHttpMethod; else GET
     * without a body, POST with one, as camel-http chooses). Send-time decoration knows the URL by itself.
     */
    private void decorateDpop(Message message, Token token) {
        String uri = message.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("tokenrefresh:" + endpoint.getProvider() + " holds DPoP-bound tokens, whose"
                                            + " proof names the request's URL: set the CamelHttpUri header (and"
                                            + " CamelHttpMethod) to the API call's URL before decorating");
        }
        String method = message.getHeader(Exchange.HTTP_METHOD, message.getBody() == null ? "GET" : "POST", String.class);
        dpop().headers(method, URI.create(uri.trim()), token.getAccessToken()).forEach(message::setHeader);
    }

    private DpopPresentation dpop() {
        if (!dpopResolved) {
            dpop = resolveProvider().dpopPresentation();
            dpopResolved = true;
        }
        return dpop;
    }

    /** The attributes header of a refresh or authorizationUrl operation, saved with the account, then removed. */
    private static void supplyAttributes(Message message, AccountTokens tokens) {
        Object value = message.removeHeader(TokenRefreshConstants.ATTRIBUTES);
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("header " + TokenRefreshConstants.ATTRIBUTES + " must be a map of"
                                               + " attribute names to values, was a " + value.getClass().getName());
        }
        if (!map.isEmpty()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            map.forEach((k, v) -> attributes.put(String.valueOf(k), v == null ? null : v.toString()));
            tokens.supplyAttributes(attributes);
        }
    }

    private static void describe(Message message, Token token) {
        message.setHeader(TokenRefreshConstants.EXPIRES_AT, token.getExpiresAt());
        message.setHeader(TokenRefreshConstants.TOKEN_TYPE, token.getTokenType());
        message.setHeader(TokenRefreshConstants.ADDITIONAL_FIELDS, token.getAdditionalFields());
        message.setHeader(TokenRefreshConstants.ATTRIBUTES, token.getAttributes());
    }

    private record HeaderValue(Token token, String value, String apiBase) {
    }
}
