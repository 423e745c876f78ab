package io.github.cameltokenrefresh.example.springboot;

import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The route that calls the API with a fresh token, and the route configuration that handles the API's 401. */
@Configuration(proxyBeanMethods = false)
public class ExampleRoutes {

    @Bean
    RouteBuilder subscribersRoute() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:subscribers").routeId("subscribers")
                        .to("tokenrefresh:" + SpringBootExample.PROVIDER) // Authorization: Bearer <fresh token>
                        .to("{{example.api-url}}");
            }
        };
    }

    /** On 401 from the API: renew the token (once for all concurrent 401s) and redeliver the call once. */
    @Bean
    RouteConfigurationBuilder tokenRefreshOnUnauthorized() {
        return new TokenRefreshRouteConfiguration();
    }
}
