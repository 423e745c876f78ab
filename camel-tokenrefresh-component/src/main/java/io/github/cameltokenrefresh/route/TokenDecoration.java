package io.github.cameltokenrefresh.route;

import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which account decorated an exchange, and how, so that a 401 further down the route can renew exactly that
 * header from exactly that account. Nothing is stored on the exchange: the decoration is found again from
 * the token the message carries, which must be the current or the previous access token of an account.
 */
public final class TokenDecoration {

    private static final Logger LOG = LoggerFactory.getLogger(TokenDecoration.class);

    private final AccountTokens account;
    private final String headerName;
    private final String prefix;

    TokenDecoration(AccountTokens account, String headerName, String prefix) {
        this.account = account;
        this.headerName = headerName;
        this.prefix = prefix;
    }

    /**
     * The decoration of the exchange, or null when its message carries no token of a tokenrefresh provider in a header
     * a tokenrefresh producer writes (for instance when the route removed it, or when the token was replaced twice
     * while the exchange was in flight).
     */
    public static TokenDecoration of(Exchange exchange) {
        TokenDecorations decorations = TokenDecorations.find(exchange.getContext());
        return decorations == null ? null : decorations.find(exchange);
    }

    /** The provider and account whose token the message carries. */
    public AccountTokens account() {
        return account;
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
        Token token = account.refreshIfCurrent(accessTokenOn(message));
        apply(message, token);
        // the operator's trace of a recovered 401: which account, never which token
        LOG.info("tokenrefresh:{} account '{}': the API answered 401; the message now carries a renewed access token",
                 account.provider(), account.account());
        return token;
    }

    private void apply(Message message, Token token) {
        message.setHeader(headerName, prefix + token.getAccessToken());
    }

    @Override
    public String toString() {
        return "TokenDecoration[" + account.provider() + "/" + account.account() + ", header=" + headerName + "]";
    }
}
