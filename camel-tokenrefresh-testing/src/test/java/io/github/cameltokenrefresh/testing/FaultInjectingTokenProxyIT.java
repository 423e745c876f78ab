package io.github.cameltokenrefresh.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.testing.FaultInjectingTokenProxy.Call;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the proxy's relaying and its faults answered as whole HTTP answers, in front of a rotating OAUTH2
 * {@link StrictTokenServer}: what is forwarded reaches the server unchanged, what is injected never reaches it, and
 * the schedule of faults is kept. The socket-level faults are in {@link ProxySocketFaultsIT}, the grace period in
 * {@link ProxyGracePeriodIT}.
 */
class FaultInjectingTokenProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-15T10:00:00Z"));
    private final ProxyTestClient client = new ProxyTestClient();
    private StrictTokenServer server;
    private FaultInjectingTokenProxy proxy;

    @BeforeEach
    void start() {
        server = StrictTokenServer.start(Dialect.OAUTH2).addRefreshToken("rt-1");
        proxy = FaultInjectingTokenProxy.inFrontOf(server).clock(clock);
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.close();
        client.close();
    }

    @Test
    void withoutAFaultTheCallReachesTheServerUnchangedAndTheAnswerComesBack() throws Exception {
        HttpResponse<String> response = client.refresh(proxy, server, "rt-1");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode token = JSON.readTree(response.body());
        assertTrue(server.isAccessTokenValid(token.get("access_token").asText()), "the server's own access token");
        assertEquals(server.currentRefreshToken(), token.get("refresh_token").asText(), "the server rotated");
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(List.of(), server.rejections(), "the strict server found nothing wrong with the relayed request");
        assertEquals("grant_type=refresh_token&refresh_token=rt-1", server.tokenRequests().get(0).body());
        assertEquals(1, proxy.forwardedCount());
        assertEquals(List.of(new Call("POST", "/oauth/token", clock.instant(), "forwarded")), proxy.calls());
    }

    @Test
    void queuedFaultsComeFirstThenTheStandingOneUntilHealedAndNoneReachesTheServer() throws Exception {
        proxy.failAlways(ProxyFault.serverError(502));
        proxy.failNext(1, ProxyFault.status(418, "text/plain", "teapot"));

        HttpResponse<String> first = client.refresh(proxy, server, "rt-1");
        HttpResponse<String> second = client.refresh(proxy, server, "rt-1");
        HttpResponse<String> third = client.refresh(proxy, server, "rt-1");
        proxy.heal();
        HttpResponse<String> healed = client.refresh(proxy, server, "rt-1");

        assertEquals(418, first.statusCode());
        assertEquals("teapot", first.body());
        assertEquals(502, second.statusCode());
        assertEquals("text/plain", second.headers().firstValue("Content-Type").orElse(null));
        assertEquals("upstream error 502", second.body());
        assertEquals(502, third.statusCode());
        assertEquals(200, healed.statusCode(), "the faults did not consume the rotating refresh token: " + healed.body());
        assertEquals(1, server.tokenCalls());
        assertEquals(1, proxy.forwardedCount());
        assertEquals(List.of("HTTP 418", "HTTP 502", "HTTP 502", "forwarded"),
                     proxy.calls().stream().map(Call::outcome).toList());
    }

    @Test
    void retryAfterIsSentAsSecondsAsGivenOrAsADateByTheProxyClock() throws Exception {
        proxy.failNext(1, ProxyFault.retryAfterSeconds(429, 120));
        proxy.failNext(1, ProxyFault.retryAfterRaw(503, "soon"));
        proxy.failNext(1, ProxyFault.retryAfterDate(503, Duration.ofSeconds(90)));

        HttpResponse<String> seconds = client.refresh(proxy, server, "rt-1");
        HttpResponse<String> raw = client.refresh(proxy, server, "rt-1");
        HttpResponse<String> date = client.refresh(proxy, server, "rt-1");

        assertEquals(429, seconds.statusCode());
        assertEquals("120", seconds.headers().firstValue("Retry-After").orElse(null));
        assertEquals("soon", raw.headers().firstValue("Retry-After").orElse(null));
        assertEquals(503, date.statusCode());
        assertEquals("Tue, 15 Dec 2026 10:01:30 GMT", date.headers().firstValue("Retry-After").orElse(null));
        assertEquals(0, server.tokenCalls());
    }

    @Test
    void malformedAnswersAreWhatTheirNamesSay() throws Exception {
        proxy.failNext(1, ProxyFault.html(200));
        proxy.failNext(1, ProxyFault.truncatedJson("at-cut"));
        proxy.failNext(1, ProxyFault.withoutAccessToken());
        proxy.failNext(1, ProxyFault.expiresIn("-3600", "at-liar"));

        HttpResponse<String> html = client.refresh(proxy, server, "rt-1");
        HttpResponse<String> truncated = client.refresh(proxy, server, "rt-1");
        HttpResponse<String> noAccessToken = client.refresh(proxy, server, "rt-1");
        HttpResponse<String> negative = client.refresh(proxy, server, "rt-1");

        assertEquals("text/html; charset=UTF-8", html.headers().firstValue("Content-Type").orElse(null));
        assertTrue(html.body().startsWith("<!DOCTYPE html>"), html.body());
        assertTrue(truncated.body().startsWith("{\"access_token\":\"at-cut\""), truncated.body());
        assertThrows(Exception.class, () -> JSON.readTree(truncated.body()), "JSON that stops in the middle");
        JsonNode withoutToken = JSON.readTree(noAccessToken.body());
        assertFalse(withoutToken.has("access_token"));
        assertEquals(3600, withoutToken.get("expires_in").asInt());
        assertEquals(-3600, JSON.readTree(negative.body()).get("expires_in").asInt());
        assertEquals("at-liar", JSON.readTree(negative.body()).get("access_token").asText());
        assertEquals(0, server.tokenCalls());
    }

    @Test
    void aHugeBodyIsAValidTokenPaddedToItsSizeAndCounted() throws Exception {
        proxy.failNext(1, ProxyFault.hugeBody(100_000, "at-huge"));

        HttpResponse<String> response = client.refresh(proxy, server, "rt-1");

        assertEquals(100_000, response.body().length());
        assertEquals("at-huge", JSON.readTree(response.body()).get("access_token").asText());
        assertEquals(100_000, proxy.faultBodyBytesSent());
        proxy.resetFaultBodyBytes();
        assertEquals(0, proxy.faultBodyBytesSent());
    }

    @Test
    void forwardThenMutateLetsTheServerRotateAndSpoilsItsAnswer() throws Exception {
        proxy.failNext(1, ProxyFault.forwardThenMutate("expires_in 0", json -> json.put("expires_in", 0)));

        HttpResponse<String> response = client.refresh(proxy, server, "rt-1");

        JsonNode token = JSON.readTree(response.body());
        assertEquals(0, token.get("expires_in").asInt());
        assertEquals(server.currentRefreshToken(), token.get("refresh_token").asText());
        assertNotEquals("rt-1", server.currentRefreshToken());
        assertEquals(1, server.successfulRefreshes());
        assertTrue(proxy.wasRotatedAway("rt-1"));
        assertEquals("expires_in 0", proxy.calls().get(0).outcome());
    }

    @Test
    void forwardsToLoopbackAddressesOnly() {
        assertThrows(IllegalArgumentException.class, () -> FaultInjectingTokenProxy.start("http://192.0.2.1:8080"));
    }
}
