package io.github.cameltokenrefresh.example;

import org.apache.camel.builder.RouteBuilder;

/**
 * Every 2 seconds: get a valid access token from tokenrefresh, then call the API with it; {@code example.calls} times.
 * A 401 from the API is handled by the component's route configuration ({@code TokenRefreshRouteConfiguration}, added
 * in {@link TokenRefreshExample}): it renews the token and redelivers the call once.
 */
final class ApiCallRoute extends RouteBuilder {

    private final String provider;
    private final CallLog calls;
    private final LocalProviderServer local;

    ApiCallRoute(String provider, CallLog calls, LocalProviderServer local) {
        this.provider = provider;
        this.calls = calls;
        this.local = local;
    }

    @Override
    public void configure() {
        // a failed call (HTTP 4xx/5xx, or no token to be had) is counted and logged; the next tick tries again. A 401
        // goes to the 401 route configuration first: only when renewing did not help does the call fail.
        onException(Exception.class)
                .handled(true)
                .removeHeader("Authorization")
                .process(calls::failedCall);

        from("timer:api-call?period={{example.period}}&repeatCount={{example.calls}}")
                .routeId("api-call")
                // after every call, successful or not: count it, and stop the example after the last one
                .onCompletion()
                    .process(calls::callDone)
                .end()
                .process(calls::beforeCall)
                // sets "Authorization: Bearer <access token>", refreshing first only when it must; the provider is
                // configured once, in application.properties, and named here
                .to("tokenrefresh:" + provider)
                // local provider only, once per run: the provider revokes the token this call carries
                .process(local::revokeIfDue)
                // the API call itself: any Camel HTTP endpoint
                .to("{{example.resourceUrl}}")
                // drop the token, so no later step can log it or send it anywhere else
                .removeHeader("Authorization")
                .process(calls::afterCall);
    }
}
