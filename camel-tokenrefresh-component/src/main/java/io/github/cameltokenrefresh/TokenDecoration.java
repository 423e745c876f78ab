package io.github.cameltokenrefresh;

import io.github.cameltokenrefresh.source.TokenSource;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Which token source decorated an exchange, and how: kept on the exchange so that a 401 further down the route can
 * renew exactly that header from exactly that provider and account.
 */
public final class TokenDecoration {

    /** The exchange property holding the decoration of the exchange's last tokenrefresh step. */
    public static final String PROPERTY = "CamelTokenRefreshDecoration";

    private final TokenSource source;
    private final String headerName;
    private final String prefix;

    TokenDecoration(TokenSource source, String headerName, String prefix) {
        this.source = source;
        this.headerName = headerName;
        this.prefix = prefix;
    }

    /** The decoration of the exchange, or null when no tokenrefresh step decorated it. */
    public static TokenDecoration of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, TokenDecoration.class);
    }

    public TokenSource getSource() {
        return source;
    }

    public String getHeaderName() {
        return headerName;
    }

    /** The access token the message carries now, or null. */
    public String accessTokenOn(Message message) {
        String value = message.getHeader(headerName, String.class);
        if (value == null) {
            return null;
        }
        return value.startsWith(prefix) ? value.substring(prefix.length()) : value;
    }

    /**
     * After the API refused the token the message carried: refreshes unless someone already did (then uses the newer
     * token), and puts the current token on the message.
     */
    public Token renew(Message message) {
        Token token = source.refreshIfCurrent(accessTokenOn(message));
        apply(message, token);
        return token;
    }

    void apply(Message message, Token token) {
        message.setHeader(headerName, prefix + token.getAccessToken());
    }

    @Override
    public String toString() {
        return "TokenDecoration[" + source.getProviderName() + "/" + source.getAccount() + ", header=" + headerName + "]";
    }
}
