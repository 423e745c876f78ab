package io.github.cameltokenrefresh.route;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Refresh-and-redeliver on HTTP 401, as a Camel route configuration: a 401 from the API after a tokenrefresh step
 * renews the token (refreshing only if nobody did yet) and redelivers the HTTP call once; a second 401 fails the
 * exchange with a TokenRejectedException. No loops.
 * <p>
 * Without an id it applies to every route; with an id, to the routes that name it with
 * {@code routeConfigurationId}.
 */
public class TokenRefreshRouteConfiguration extends RouteConfigurationBuilder {

    /** The id of the YAML twin of this configuration shipped in the jar. */
    public static final String DEFAULT_ID = "tokenrefresh-unauthorized";

    private final String id;

    /** A configuration that applies to every route. */
    public TokenRefreshRouteConfiguration() {
        this(null);
    }

    public TokenRefreshRouteConfiguration(String id) {
        this.id = id;
    }

    @Override
    public void configuration() {
        (id == null ? routeConfiguration() : routeConfiguration(id))
                .onException(HttpOperationFailedException.class)
                .onWhen(new UnauthorizedPredicate())
                .maximumRedeliveries(1)
                .redeliveryDelay(0)
                .logRetryAttempted(false)
                .onRedelivery(new RenewTokenProcessor())
                .process(new RejectedAfterRefreshProcessor());
    }
}
