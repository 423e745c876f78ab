package io.github.cameltokenrefresh.route;

import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API answered 401 to a call decorated as it was sent: which account's token it refused. Kept on the exchange
 * (only after a 401) for the route configuration's renew step; the message itself never carried the token.
 */
public final class SendTimeRejection {

    /** The exchange property holding it. */
    public static final String PROPERTY = "CamelTokenRefreshSendTimeRejection";

    private static final Logger LOG = LoggerFactory.getLogger(SendTimeRejection.class);

    private final AccountTokens account;
    private final Token rejected;

    SendTimeRejection(AccountTokens account, Token rejected) {
        this.account = account;
        this.rejected = rejected;
    }

    /** The rejection recorded on the exchange by its last HTTP call, or null. */
    public static SendTimeRejection of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, SendTimeRejection.class);
    }

    public AccountTokens account() {
        return account;
    }

    /** Refreshes unless someone already replaced the refused token; the next send presents the current one. */
    public Token renew() {
        Token token = account.refreshIfCurrent(rejected.getAccessToken());
        // the operator's trace of a recovered 401: which account, never which token
        LOG.info("tokenrefresh:{} account '{}': the API answered 401 to a call decorated as it was sent; it is sent again"
                 + " with a renewed access token", account.provider(), account.account());
        return token;
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "SendTimeRejection[" + account.provider() + "/" + account.account() + "]";
    }
}
