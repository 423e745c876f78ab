package io.github.cameltokenrefresh.route;

import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.TokenRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Runs when the one redelivery after a refresh got 401 again: fails the exchange with a {@link TokenRejectedException}
 * that says refreshing did not help, instead of the bare HTTP error.
 */
public final class RejectedAfterRefreshProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        SendTimeRejection rejection = SendTimeRejection.of(exchange);
        TokenDecoration decoration = TokenDecoration.of(exchange);
        AccountTokens account = rejection != null ? rejection.account() : decoration != null ? decoration.account() : null;
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // only a 401 to the renewed token means "rejected"; any other failure of the redelivery stays as it is
        if (account != null && UnauthorizedPredicate.statusCode(exchange) == UnauthorizedPredicate.UNAUTHORIZED) {
            // Camel puts the caught exception back on the exchange once this failure processor is done; replacing it
            // there (not with setException, which Camel would treat as a new failure while handling) makes it the
            // exchange's exception
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new TokenRejectedException(
                    account.provider(), account.account(),
                    UnauthorizedPredicate.statusCode(exchange), cause));
        }
    }
}
