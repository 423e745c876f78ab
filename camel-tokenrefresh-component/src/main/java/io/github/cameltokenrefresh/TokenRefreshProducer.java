package io.github.cameltokenrefresh;

import io.github.cameltokenrefresh.source.Provider;
import io.github.cameltokenrefresh.source.TokenSource;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** Runs the endpoint's operation against the shared token source of the provider and account. */
public class TokenRefreshProducer extends DefaultProducer {

    private final TokenRefreshEndpoint endpoint;
    private Provider provider;
    private String prefix;
    /** The last token and its header value, so the hot path does not build the same string again. */
    private volatile HeaderValue lastHeader;

    public TokenRefreshProducer(TokenRefreshEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.getHeaderName() == null || endpoint.getHeaderName().isBlank()) {
            throw ProviderFactory.invalid(endpoint.getProvider(), "headerName", "must not be blank");
        }
        if (endpoint.getAccount() == null || endpoint.getAccount().isBlank()) {
            throw ProviderFactory.invalid(endpoint.getProvider(), "account", "must not be blank");
        }
        String p = endpoint.getHeaderPrefix();
        prefix = p == null || p.isEmpty() ? "" : p + " ";
        provider = endpoint.resolveProvider();
        String refreshToken = endpoint.getConfiguration().getRefreshToken();
        if (refreshToken != null && !refreshToken.isBlank()) {
            provider.registerBootstrapRefreshToken(endpoint.getAccount(), refreshToken);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        TokenRefreshOperation operation = message.getHeader(TokenRefreshConstants.OPERATION, endpoint.getOperation(),
                                                            TokenRefreshOperation.class);
        String account = message.getHeader(TokenRefreshConstants.ACCOUNT, endpoint.getAccount(), String.class);
        TokenSource source = provider.account(account);
        switch (operation) {
            case decorate:
                decorate(message, source.getToken());
                break;
            case refresh:
                String supplied = message.removeHeader(TokenRefreshConstants.REFRESH_TOKEN) instanceof String s ? s : null;
                if (supplied != null && !supplied.isBlank()) {
                    source.supplyRefreshToken(supplied);
                }
                Token refreshed = source.refresh();
                decorate(message, refreshed);
                describe(message, refreshed);
                break;
            case refreshIfExpiring:
                Token current = source.refreshIfExpiring();
                decorate(message, current);
                describe(message, current);
                break;
            case token:
                Token token = source.getToken();
                message.setBody(token.getAccessToken());
                describe(message, token);
                break;
            case invalidate:
                source.invalidate();
                break;
            default:
                throw new IllegalArgumentException("unsupported operation " + operation);
        }
    }

    private void decorate(Message message, Token token) {
        HeaderValue cached = lastHeader;
        if (cached == null || cached.token != token) {
            cached = new HeaderValue(token, prefix + token.getAccessToken());
            lastHeader = cached;
        }
        message.setHeader(endpoint.getHeaderName(), cached.value);
    }

    private static void describe(Message message, Token token) {
        message.setHeader(TokenRefreshConstants.EXPIRES_AT, token.getExpiresAt());
        message.setHeader(TokenRefreshConstants.TOKEN_TYPE, token.getTokenType());
        message.setHeader(TokenRefreshConstants.ADDITIONAL_FIELDS, token.getAdditionalFields());
    }

    private static final class HeaderValue {
        final Token token;
        final String value;

        HeaderValue(Token token, String value) {
            this.token = token;
            this.value = value;
        }
    }
}
