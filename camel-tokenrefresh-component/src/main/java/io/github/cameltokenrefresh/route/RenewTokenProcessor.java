package io.github.cameltokenrefresh.route;

import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The onRedelivery step of the 401 handling: Camel redelivers to the failed endpoint only, so the token header a step
 * put on the message must be renewed here (a call decorated as it is sent gets the renewed token as it is sent again). Refreshes only if the rejected token is still the current one; otherwise uses the newer token.
 */
public final class RenewTokenProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        SendTimeRejection rejection = SendTimeRejection.of(exchange);
        TokenDecoration decoration = TokenDecoration.of(exchange);
        if (rejection != null || decoration != null) {
            try {
                if (rejection != null) {
                    // the redelivered call is decorated again as it is sent, with the renewed token
                    exchange.removeProperty(SendTimeRejection.PROPERTY);
                    rejection.renew();
                }
                if (decoration != null) {
                    decoration.renew(exchange.getMessage());
                }
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
