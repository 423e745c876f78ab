package io.github.cameltokenrefresh;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.RefreshReport;
import io.github.cameltokenrefresh.token.Token;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operations watch while a provider works through its due accounts: the refresh backlog, the refresh pool's
 * running and queued refreshes, and the token endpoint's provider-wide pause, in health, dev console, JMX and meters,
 * against a latched token endpoint.
 */
class RefreshOperationsObservabilityIT extends TokenServerTestSupport {

    private static final String SECRET = "CLIENT-SECRET-ops";

    private final MutableClock clock = new MutableClock(Instant.now());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StringBuilder views = new StringBuilder();

    private ProducerTemplate start(int accounts, int concurrency) throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", SECRET).expiresIn(3600L);
        MemoryTokenStore store = new MemoryTokenStore();
        for (int i = 0; i < accounts; i++) {
            server.addRefreshToken("rt-" + i);
            store.save("p", "account-" + i, Token.ofRefreshToken("rt-" + i, clock.instant()), 0);
        }
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        context.getRegistry().bind("accounts", store);
        context.getRegistry().bind("meters", meters);
        String options = "tokenUrl=" + server.tokenUrl() + "&clientId=c&clientSecret=" + SECRET
                         + "&store=#accounts&refreshConcurrency=" + concurrency;
        TestContexts.addRoute(context, "direct:due", "tokenrefresh:p?" + options + "&operation=refreshDue");
        TestContexts.addRoute(context, "direct:refresh", "tokenrefresh:p?" + options + "&operation=refresh"
                                                         + "&account=account-0");
        context.start();
        return context.createProducerTemplate();
    }

    private Map<String, Object> health() {
        HealthCheck.Result result = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("tokenrefresh-p")).findFirst().orElseThrow();
        views.append(result.getDetails()).append('\n');
        return result.getDetails();
    }

    private String console(DevConsole.MediaType type) {
        Object result = PluginHelper.getDevConsoleResolver(context).resolveDevConsole("tokenrefresh").call(type);
        String text = result instanceof JsonObject json ? json.toJson() : String.valueOf(result);
        views.append(text).append('\n');
        return text;
    }

    private Object jmx(String attribute) throws Exception {
        Object value = ManagementFactory.getPlatformMBeanServer().getAttribute(
                new ObjectName("org.apache.camel:context=" + ObjectName.quote(context.getManagementName())
                               + ",type=tokenrefresh,name=\"p\""), attribute);
        views.append(attribute).append('=').append(value).append('\n');
        return value;
    }

    private double gauge(String name) {
        double value = meters.find(name).tag("provider", "p").gauge().value();
        views.append(name).append('=').append(value).append('\n');
        return value;
    }

    /** Backlog, running and queued refreshes, as health says them: one read, so the three agree. */
    private List<Object> load() {
        Map<String, Object> details = health();
        return List.of(details.get("refreshBacklog"), details.get("refreshesActive"), details.get("refreshesQueued"));
    }

    @Test
    void theBacklogShrinksAsTheLatchedEndpointLetsTheRunningRefreshesFinish() throws Exception {
        ProducerTemplate template = start(8, 2);
        server.holdTokenCalls();
        assertEquals(List.of(0, 0, 0), load());

        CompletableFuture<RefreshReport> pass
                = CompletableFuture.supplyAsync(() -> template.requestBody("direct:due", "", RefreshReport.class));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.heldTokenCalls() == 2 && load().equals(List.of(8, 2, 6)));
        assertEquals(2, health().get("refreshThreads"));
        assertEquals(8, jmx("RefreshBacklog"));
        assertEquals(2, jmx("RefreshesActive"));
        assertEquals(6, jmx("RefreshesQueued"));
        assertEquals(8.0, gauge("tokenrefresh.refresh.backlog"));
        assertEquals(2.0, gauge("tokenrefresh.refresh.active"));
        assertEquals(6.0, gauge("tokenrefresh.refresh.queued"));
        assertTrue(console(DevConsole.MediaType.TEXT).contains("Refresh Backlog: 8 due, 2 refreshing, 6 queued (2 threads)"));
        String json = console(DevConsole.MediaType.JSON);
        assertTrue(json.contains("\"refreshBacklog\":8") && json.contains("\"refreshesQueued\":6"), json);

        // one token call answers: its account leaves the backlog and a queued refresh takes the free thread
        server.releaseTokenCalls(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.heldTokenCalls() == 2 && load().equals(List.of(7, 2, 5)));
        server.releaseTokenCalls(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.heldTokenCalls() == 2 && load().equals(List.of(4, 2, 2)));
        assertEquals(4.0, gauge("tokenrefresh.refresh.backlog"));

        server.releaseTokenCalls(4);
        assertEquals(8, pass.get(10, TimeUnit.SECONDS).getRefreshed().size());
        await().atMost(Duration.ofSeconds(10)).until(() -> load().equals(List.of(0, 0, 0)));
        assertEquals(0.0, gauge("tokenrefresh.refresh.queued"));
        assertNoSecretShown();
    }

    @Test
    void theTokenEndpointsProviderWidePauseShowsInJmxAndMetersUntilItEnds() throws Exception {
        ProducerTemplate template = start(1, 2);
        assertEquals("", jmx("TokenEndpointPausedUntil"));
        assertEquals(0.0, gauge("tokenrefresh.token.endpoint.resumes.in"));
        server.failNext(1, 429, "application/json", "{\"error\":\"too_many_requests\"}", Map.of("Retry-After", "30"));

        assertFalse(template.requestBody("direct:due", "", RefreshReport.class).getRefreshed().contains("account-0"));

        Instant until = clock.instant().plusSeconds(30);
        assertEquals(until.toString(), jmx("TokenEndpointPausedUntil"));
        assertEquals("http_429", jmx("TokenEndpointError"));
        assertEquals(until.toString(), health().get("tokenEndpointPausedUntil"));
        assertEquals(30.0, gauge("tokenrefresh.token.endpoint.resumes.in"));
        assertTrue(console(DevConsole.MediaType.JSON).contains("\"tokenEndpointError\":\"http_429\""));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(20.0, gauge("tokenrefresh.token.endpoint.resumes.in"));
        assertEquals(1, jmx("RefreshBacklog"), "the failed account is still due");

        clock.advance(Duration.ofSeconds(21));
        assertEquals("", jmx("TokenEndpointPausedUntil"));
        assertEquals(0.0, gauge("tokenrefresh.token.endpoint.resumes.in"));
        template.requestBody("direct:refresh", "");
        assertEquals(0, jmx("RefreshBacklog"));
        assertNoSecretShown();
    }

    private void assertNoSecretShown() {
        List<String> secrets = new java.util.ArrayList<>(List.of(SECRET));
        secrets.addAll(server.issuedAccessTokens());
        secrets.addAll(server.issuedRefreshTokens());
        for (String secret : secrets) {
            assertFalse(views.toString().contains(secret), "a view shows a secret: " + secret.substring(0, 3) + "...");
        }
    }
}
