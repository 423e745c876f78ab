package io.github.cameltokenrefresh;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, dev console, JMX, metrics and events through one token's life: fresh, dead, revived. None shows a secret. */
class ObservabilityIT extends TokenServerTestSupport {

    private static final String SECRET = "CLIENT-SECRET-obs";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StringBuilder views = new StringBuilder();

    private HealthCheck.Result health() {
        HealthCheck.Result result = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("tokenrefresh-partner")).findFirst().orElseThrow();
        views.append(result.getState()).append(result.getMessage().orElse("")).append(result.getDetails()).append('\n');
        return result;
    }

    private String console(DevConsole.MediaType type) {
        DevConsole console = PluginHelper.getDevConsoleResolver(context).resolveDevConsole("tokenrefresh");
        assertNotNull(console, "the dev console is discovered by name");
        Object result = console.call(type);
        String text = result instanceof org.apache.camel.util.json.JsonObject json ? json.toJson() : String.valueOf(result);
        views.append(text).append('\n');
        return text;
    }

    private Object jmx(String attribute) throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("org.apache.camel:context=" + ObjectName.quote(context.getManagementName())
                                         + ",type=tokenrefresh,name=\"partner\"");
        Object value = mbeans.getAttribute(name, attribute);
        views.append(attribute).append('=').append(value).append('\n');
        return value;
    }

    private double counter(String outcome) {
        return meters.find("tokenrefresh.refreshes").tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void everyViewFollowsTheTokenThroughItsLifeAndShowsNoSecret() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        context.getRegistry().bind("meters", meters);
        context.getRegistry().bind("partner", partnerConfig());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("tokenrefresh:partner");
                from("direct:refresh").to("tokenrefresh:partner?operation=refresh");
                from("tokenrefresh:partner").to("mock:events");
            }
        });
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        MockEndpoint events = context.getEndpoint("mock:events", MockEndpoint.class);

        // fresh
        template.requestBody("direct:call", "");
        AccountStatus status = TestContexts.component(context).provider("partner").status("default");
        assertEquals(HealthCheck.State.UP, health().getState());
        String text = console(DevConsole.MediaType.TEXT);
        assertTrue(text.contains("Account: default") && text.contains("State: FRESH")
                   && text.contains("Expires At: " + status.expiresAt()) && text.contains("Token Calls: 1"), text);
        String json = console(DevConsole.MediaType.JSON);
        assertTrue(json.contains("\"expiresAt\":\"" + status.expiresAt() + "\"") && json.contains("\"tokenCalls\":1"), json);
        assertEquals(1L, jmx("TokenCalls"));
        assertEquals(status.expiresAt().toString(), jmx("EarliestExpiry"));
        assertEquals(0L, jmx("DeadAccounts"));
        assertEquals(1.0, counter("success"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.getReceivedCounter() == 1);
        TokenEvent refreshed = events.getReceivedExchanges().get(0).getMessage().getBody(TokenEvent.class);
        assertEquals(TokenEvent.Type.REFRESHED, refreshed.type());
        assertEquals(status.expiresAt(), refreshed.expiresAt());

        // dead: the refresh token was revoked; a forced refresh through JMX meets invalid_grant
        server.revokeRefreshToken(server.currentRefreshToken());
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("org.apache.camel:context=" + ObjectName.quote(context.getManagementName())
                                         + ",type=tokenrefresh,name=\"partner\"");
        Exception jmxFailure = assertThrows(Exception.class,
                () -> mbeans.invoke(name, "refresh", new Object[] { "default" }, new String[] { String.class.getName() }));
        views.append(jmxFailure).append(jmxFailure.getCause()).append('\n');
        HealthCheck.Result down = health();
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertEquals("invalid_grant", down.getDetails().get("account.default.errorType"));
        assertEquals(1L, jmx("DeadAccounts"));
        assertEquals("invalid_grant", jmx("LastErrorType"));
        assertTrue(console(DevConsole.MediaType.TEXT).contains("Last Error: invalid_grant"));
        assertEquals(1.0, counter("invalid_grant"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.getReceivedCounter() == 2);
        assertEquals("INVALID_GRANT", events.getReceivedExchanges().get(1).getMessage()
                .getHeader(TokenRefreshConstants.EVENT_TYPE));

        // revived: the user re-authorized and supplied a new refresh token
        server.addRefreshToken("rt-new");
        template.requestBodyAndHeader("direct:refresh", "", TokenRefreshConstants.REFRESH_TOKEN, "rt-new");
        assertEquals(HealthCheck.State.UP, health().getState());
        assertEquals(0L, jmx("DeadAccounts"));
        assertEquals(2.0, counter("success"));
        assertFalse(meters.find("tokenrefresh.token.call").timers().isEmpty(), "token call latency recorded");
        double expiresIn = meters.find("tokenrefresh.token.expires.in").tag("account", "default").gauge().value();
        assertTrue(expiresIn > 3500 && expiresIn <= 3600, "gauge shows seconds until expiry: " + expiresIn);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.getReceivedCounter() == 3);

        for (var exchange : events.getReceivedExchanges()) {
            views.append(exchange.getMessage().getBody()).append(exchange.getMessage().getHeaders()).append('\n');
        }
        for (Meter meter : meters.getMeters()) {
            views.append(meter.getId()).append('\n');
        }
        List<String> secrets = new ArrayList<>(List.of(SECRET, "rt-0", "rt-new"));
        secrets.addAll(server.issuedAccessTokens());
        secrets.addAll(server.issuedRefreshTokens());
        for (String secret : secrets) {
            assertFalse(views.toString().contains(secret), "a view shows a secret: " + secret.substring(0, 3) + "...");
        }
    }

    private TokenRefreshConfiguration partnerConfig() {
        TokenRefreshConfiguration config = TestContexts.partnerBean(server, storeDir, "4711");
        config.setClientSecret(SECRET);
        return config;
    }
}
