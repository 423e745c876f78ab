package io.github.cameltokenrefresh.springboot;

import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The application of TokenRefreshStarterIT: a route that names the provider, and the 401 route configuration. */
@SpringBootApplication
public class StarterTestApplication {

    @Bean
    RouteBuilder callApi() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeId("call-api")
                        .to("tokenrefresh:aweber")
                        .to("{{tokenserver.resource-url}}");
                from("direct:crm").routeId("call-crm")
                        .to("tokenrefresh:crm")
                        .to("{{tokenserver.resource-url}}");
            }
        };
    }

    /** On 401: renew the token and redeliver once (applies to every route). */
    @Bean
    RouteConfigurationBuilder tokenRefreshOnUnauthorized() {
        return new TokenRefreshRouteConfiguration();
    }
}
