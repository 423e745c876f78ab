package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.TokenState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The views read the same clock as the token state, count only refresh attempts as refreshes, and go with their
 * provider.
 */
class ObservabilityClockAndLifecycleIT extends TokenServerTestSupport {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private void start(TokenRefreshConfiguration partner, MutableClock clock) throws Exception {
        context = TestContexts.context(storeDir);
        if (clock != null) {
            TestContexts.component(context).setClock(clock);
        }
        context.getRegistry().bind("meters", meters);
        context.getRegistry().bind("partner", partner);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeId("call").to("tokenrefresh:partner");
            }
        });
        context.start();
    }

    private HealthCheck.Result health() {
        return HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("tokenrefresh-partner")).findFirst().orElseThrow();
    }

    private double refreshes(String outcome) {
        return meters.find("tokenrefresh.refreshes").tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void healthAndExpiryGaugeReadTheProvidersClockNotTheWallClock() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").expiresIn(3600L);
        MutableClock clock = new MutableClock(Instant.now());
        start(TestContexts.partnerBean(server, storeDir, "4711"), clock);
        ProducerTemplate template = context.createProducerTemplate();
        template.requestBody("direct:call", "");

        // two hours later by the provider's clock (not by the wall clock) the token has expired, and the endpoint fails
        clock.advance(Duration.ofHours(2));
        server.failNext(1, 503, "application/json", "{\"error\":\"temporarily_unavailable\"}", Map.of());
        assertThrows(Exception.class, () -> template.requestBody("direct:call", ""));

        assertEquals(TokenState.FAILING, TestContexts.component(context).tokens("partner").status("default").state());
        assertEquals(HealthCheck.State.DOWN, health().getState(), "failing with an expired token: no working token");
        double expiresIn = meters.find("tokenrefresh.token.expires.in").tag("account", "default").gauge().value();
        assertTrue(expiresIn < -3500 && expiresIn > -3700, "seconds left by the provider's clock: " + expiresIn);
    }

    @Test
    void aRefreshTokenExpiryWarningAfterASuccessfulRefreshIsNotAFailedRefresh() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        TokenRefreshConfiguration partner = TestContexts.partnerBean(server, storeDir, "4711");
        partner.setRefreshTokenLifetime(Duration.ofDays(1).toMillis());
        partner.setRefreshTokenExpiryWarning(Duration.ofDays(7).toMillis()); // warns at once
        start(partner, null);

        context.createProducerTemplate().requestBody("direct:call", "");

        assertTrue(TestContexts.component(context).tokens("partner").status("default").refreshTokenExpiring());
        assertEquals(1.0, refreshes("success"));
        assertEquals(0.0, refreshes("failure"), "the REFRESH_TOKEN_EXPIRING warning is not a failed refresh");
    }

    @Test
    void aStoppedProviderLeavesNoMetersBehind() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        start(TestContexts.partnerBean(server, storeDir, "4711"), null);
        context.createProducerTemplate().requestBody("direct:call", "");
        assertTrue(meters.find("tokenrefresh.token.expires.in").tag("provider", "partner").gauge() != null);

        // the only route naming the provider goes: the provider stops, and its meters with it
        context.getRouteController().stopRoute("call");
        context.removeRoute("call");

        assertEquals(0, meters.getMeters().stream().filter(m -> m.getId().getName().startsWith("tokenrefresh.")).count(),
                     "meters left: " + meters.getMeters().stream().map(m -> m.getId().toString()).toList());
    }
}
