package io.github.cameltokenrefresh.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves what tests drive the test server with beyond its dialects: raw answers injected after validation, the
 * resource server's bearer check, and exactly one success among concurrent refreshes of one rotating token.
 */
class StrictTokenServerControlsIT extends StrictTokenServerRequests {

    @Test
    void failNextAnswersRawAfterValidationWithoutConsumingTheRefreshToken() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-1")) {
            server.failNext(2, 503, "text/plain", "try later", Map.of("Retry-After", "7"));
            String partner = String.valueOf(server.partnerId());

            // a rejected request does not use up a fault
            HttpResponse<String> invalid = post(server.tokenUrl(), "{}", "partnerId", partner,
                    "grantType", "refresh_token", "Content-Type", JSON_TYPE);
            assertEquals(400, invalid.statusCode());

            for (int i = 0; i < 2; i++) {
                HttpResponse<String> fault = post(server.tokenUrl(), "{\"refreshToken\":\"rt-1\"}", "partnerId",
                        partner, "grantType", "refresh_token", "Content-Type", JSON_TYPE);
                assertEquals(503, fault.statusCode());
                assertEquals("text/plain", fault.headers().firstValue("Content-Type").orElse(null));
                assertEquals("7", fault.headers().firstValue("Retry-After").orElse(null));
                assertEquals("try later", fault.body());
            }
            assertEquals(0, server.successfulRefreshes());
            assertEquals("rt-1", server.currentRefreshToken());

            server.failNext(1, 200, "application/json", "", null);
            HttpResponse<String> empty = post(server.tokenUrl(), "{\"refreshToken\":\"rt-1\"}", "partnerId",
                    partner, "grantType", "refresh_token", "Content-Type", JSON_TYPE);
            assertEquals(200, empty.statusCode());
            assertEquals("", empty.body());

            // a new failNext replaces what is pending; failNext(0, ...) makes the server healthy again
            server.failNext(50, 500, null, null, null);
            server.failNext(3, 502, null, null, null);
            assertEquals(3, server.pendingFailures());
            server.failNext(0, 0, null, null, Map.of());
            assertEquals(0, server.pendingFailures());

            HttpResponse<String> ok = post(server.tokenUrl(), "{\"refreshToken\":\"rt-1\"}", "partnerId", partner,
                    "grantType", "refresh_token", "Content-Type", JSON_TYPE);
            assertEquals(200, ok.statusCode());
            assertEquals(5, server.tokenCalls());
            assertEquals(1, server.successfulRefreshes());
            assertEquals(1, server.rejections().size());
        }
    }

    // ================================================================ resource server

    @Test
    void resourceServerChecksBearerTokens() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2).addRefreshToken("rt-1").clock(clock)) {
            HttpResponse<String> token = post(server.tokenUrl(), form("grant_type", "refresh_token",
                    "refresh_token", "rt-1"), "Content-Type", FORM, "Authorization",
                    basic(server.clientId(), server.clientSecret()));
            String accessToken = JSON.readTree(token.body()).get("access_token").asText();

            HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(server.resourceUrl()))
                    .header("Authorization", "Bearer " + accessToken).GET());
            assertEquals(200, ok.statusCode());
            assertEquals(true, JSON.readTree(ok.body()).get("ok").asBoolean());
            HttpResponse<String> okPost = send(HttpRequest.newBuilder(URI.create(server.resourceUrl()))
                    .header("Authorization", "Bearer " + accessToken)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(200, okPost.statusCode());

            HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(server.resourceUrl())).GET());
            assertEquals(401, none.statusCode());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

            HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(server.resourceUrl()))
                    .header("Authorization", "Bearer at-unknown").GET());
            assertEquals(401, unknown.statusCode());
            assertEquals("Bearer error=\"invalid_token\"",
                    unknown.headers().firstValue("WWW-Authenticate").orElse(null));

            // expiry follows the server clock and the issued expires_in
            clock.advance(Duration.ofSeconds(3599));
            assertTrue(server.isAccessTokenValid(accessToken));
            clock.advance(Duration.ofSeconds(1));
            assertFalse(server.isAccessTokenValid(accessToken));
            assertEquals(401, send(HttpRequest.newBuilder(URI.create(server.resourceUrl()))
                    .header("Authorization", "Bearer " + accessToken).GET()).statusCode());

            // revocation
            String fresh = server.issueAccessToken();
            assertTrue(server.isAccessTokenValid(fresh));
            server.revokeAccessToken(fresh);
            HttpResponse<String> revoked = send(HttpRequest.newBuilder(URI.create(server.resourceUrl()))
                    .header("Authorization", "Bearer " + fresh).GET());
            assertEquals(401, revoked.statusCode());
            assertEquals("Bearer error=\"invalid_token\"",
                    revoked.headers().firstValue("WWW-Authenticate").orElse(null));

            assertEquals(6, server.resourceCalls());
            assertEquals(4, server.unauthorizedResourceCalls());
            assertEquals(1, server.tokenCalls(), "resource calls are not token calls");
        }
    }

    // ================================================================ concurrency

    @Test
    void concurrentRefreshesWithOneRotatingTokenYieldExactlyOneSuccess() throws Exception {
        int callers = 200;
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2).addRefreshToken("rt-1")
                .responseDelay(Duration.ofMillis(200))) {
            String auth = basic(server.clientId(), server.clientSecret());
            List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < callers; i++) {
                futures.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(server.tokenUrl()))
                        .header("Content-Type", FORM).header("Authorization", auth)
                        .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "refresh_token",
                                "refresh_token", "rt-1"))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int invalidGrant = 0;
            for (CompletableFuture<HttpResponse<String>> future : futures) {
                HttpResponse<String> response = future.get();
                if (response.statusCode() == 200) {
                    ok++;
                } else if ("invalid_grant".equals(JSON.readTree(response.body()).get("error").asText())) {
                    invalidGrant++;
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(1, ok);
            assertEquals(callers - 1, invalidGrant);
            assertEquals(callers, server.tokenCalls());
            assertEquals(1, server.successfulRefreshes());
            // delayed calls overlap instead of queueing behind each other
            assertTrue(elapsed.compareTo(Duration.ofSeconds(10)) < 0, "took " + elapsed);
        }
    }
}
