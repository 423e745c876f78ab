package io.github.cameltokenrefresh.route;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * True when a tokenrefresh-decorated exchange (by a step, or as its call was sent) got HTTP 401 from the API: as an exception (Camel HTTP's default) or as
 * the CamelHttpResponseCode of a route that set throwExceptionOnFailure=false.
 */
public final class UnauthorizedPredicate implements Predicate {

    public static final int UNAUTHORIZED = 401;

    @Override
    public boolean matches(Exchange exchange) {
        return statusCode(exchange) == UNAUTHORIZED
               && (SendTimeRejection.of(exchange) != null || TokenDecoration.of(exchange) != null);
    }

    static int statusCode(Exchange exchange) {
        HttpOperationFailedException failure = exchange.getException(HttpOperationFailedException.class);
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
        }
        if (failure != null) {
            return failure.getStatusCode();
        }
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return code == null ? 0 : code;
    }

    @Override
    public String toString() {
        return "tokenrefresh:unauthorized";
    }
}
