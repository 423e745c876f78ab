package io.github.cameltokenrefresh.route;

import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The onRedelivery step of the 401 handling: Camel redelivers to the failed endpoint only, so the token header must be
 * renewed here. Refreshes only if the rejected token is still the current one; otherwise uses the newer token.
 */
public final class RenewTokenProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        TokenDecoration decoration = TokenDecoration.of(exchange);
        if (decoration != null) {
            try {
                decoration.renew(exchange.getMessage());
            } catch (TokenRefreshException e) {
                // no new token (dead refresh token, endpoint down): redelivering the stale one would only earn
                // another 401, so stop here and fail the exchange with the reason
                exchange.setException(e);
                exchange.setRouteStop(true);
            }
        }
    }

    @Override
    public String toString() {
        return "tokenrefresh:renew";
    }
}
