package io.github.cameltokenrefresh.example;

import org.apache.camel.builder.RouteBuilder;

/** Every 2 seconds: get a valid access token from tokenrefresh, then call the API with it. */
final class ApiCallRoute extends RouteBuilder {

    private final String provider;
    private final CallLog calls;

    ApiCallRoute(String provider, CallLog calls) {
        this.provider = provider;
        this.calls = calls;
    }

    @Override
    public void configure() {
        // a failed call (HTTP 4xx/5xx, or no token to be had) is counted and logged; the next tick tries again
        onException(Exception.class)
                .handled(true)
                .removeHeader("Authorization")
                .process(calls::failedCall);

        from("timer:api-call?period={{example.period}}")
                .routeId("api-call")
                .process(calls::beforeCall)
                // sets "Authorization: Bearer <access token>", refreshing first only when it must; the provider is
                // configured once, in application.properties, and named here
                .to("tokenrefresh:" + provider)
                // the API call itself: any Camel HTTP endpoint
                .to("{{example.resourceUrl}}")
                // drop the token, so no later step can log it or send it anywhere else
                .removeHeader("Authorization")
                .process(calls::afterCall);
    }
}
