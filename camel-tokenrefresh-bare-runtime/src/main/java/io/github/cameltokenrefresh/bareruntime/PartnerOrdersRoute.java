package io.github.cameltokenrefresh.bareruntime;

import org.apache.camel.builder.RouteBuilder;

/**
 * A user's Java route calling the partner API, as partner.yaml of the examples does, guarded by the Java route
 * configuration {@code TokenRefreshRouteConfiguration} (which, without an id, applies to every route). The bare
 * runtime test runs it with both classes named in {@code camel.main.routes-builder-classes}.
 */
public class PartnerOrdersRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:partner?period=1000&repeatCount={{example.calls}}").routeId("partner-orders-java")
                .to("tokenrefresh:partner")
                .to("{{partner.api-url}}")
                .removeHeader("Authorization") // no later step may log or forward the token
                .log("partner: API answered HTTP ${header.CamelHttpResponseCode}");
    }
}
