package io.github.cameltokenrefresh.testing;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the test server's vendor dialects (Newsletter2Go, AWeber, partner): each accepts its documented request,
 * answers in the documented shape, and rejects every deviation with the right status, error and a recorded reason.
 */
class StrictTokenServerVendorDialectsIT extends StrictTokenServerRequests {

    @Test
    void newsletter2GoAnswersInTheDocumentedShapeAndKeepsTheRefreshToken() throws Exception {
        String authKey = Base64.getEncoder().encodeToString("nl2go-key:abc".getBytes(StandardCharsets.UTF_8));
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey(authKey)
                .addRefreshToken("rt-1")) {
            assertEquals(server.baseUrl() + "/oauth/v2/token", server.tokenUrl());
            for (String grantType : List.of("https://nl2go.com/jwt", "https://nl2go.com/jwt_refresh")) {
                HttpResponse<String> response = post(server.tokenUrl(),
                        "{\"refresh_token\":\"rt-1\",\"grant_type\":\"" + grantType + "\"}",
                        "Content-Type", JSON_TYPE, "Authorization", "Basic " + authKey);
                assertEquals(200, response.statusCode(), response.body());
                JsonNode body = JSON.readTree(response.body());
                assertTrue(body.get("access_token").asText().startsWith("at-"));
                assertEquals(7200, body.get("expires_in").asLong());
                assertEquals("bearer", body.get("token_type").asText());
                assertTrue(body.has("scope") && body.get("scope").isNull(), "scope is an explicit null");
                assertEquals("rt-1", body.get("refresh_token").asText(), "documented: same refresh token back");
                assertEquals("awtfn5jn", body.get("account_id").asText());
                assertEquals("user", body.get("type").asText());
                assertEquals(7, body.size());
            }
            assertEquals(2, server.successfulRefreshes());
            assertEquals("rt-1", server.currentRefreshToken());
            assertEquals(List.of(), server.issuedRefreshTokens());
        }
    }

    @Test
    void newsletter2GoRejectsEveryDeviation() throws Exception {
        String authKey = Base64.getEncoder().encodeToString("nl2go-key:abc".getBytes(StandardCharsets.UTF_8));
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey(authKey)
                .addRefreshToken("rt-1")) {
            String auth = "Basic " + authKey;
            String good = "{\"refresh_token\":\"rt-1\",\"grant_type\":\"https://nl2go.com/jwt\"}";

            assertRejected(server, post(server.tokenUrl(), form("refresh_token", "rt-1", "grant_type",
                    "https://nl2go.com/jwt"), "Content-Type", FORM, "Authorization", auth),
                    400, "invalid_request", "content type was " + FORM + ", expected application/json");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", JSON_TYPE),
                    401, "invalid_client", "Authorization header missing");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", JSON_TYPE,
                    "Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString("other-key".getBytes(StandardCharsets.UTF_8))),
                    401, "invalid_client", "different value");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", JSON_TYPE,
                    "Authorization", "Bearer " + authKey), 401, "invalid_client", "scheme was Bearer");
            assertRejected(server, post(server.tokenUrl(),
                    "{\"refresh_token\":\"rt-1\",\"grant_type\":\"refresh_token\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth), 400, "unsupported_grant_type", "refresh_token");
            assertRejected(server, post(server.tokenUrl(),
                    "{\"refreshToken\":\"rt-1\",\"grant_type\":\"https://nl2go.com/jwt\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth), 400, "invalid_request", "[refreshToken]");
            assertRejected(server, post(server.tokenUrl(),
                    "{\"refresh_token\":\"rt-1\",\"grant_type\":\"https://nl2go.com/jwt\",\"scope\":null}",
                    "Content-Type", JSON_TYPE, "Authorization", auth), 400, "invalid_request", "[scope]");
            assertRejected(server, post(server.tokenUrl(), "{\"grant_type\":\"https://nl2go.com/jwt\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth), 400, "invalid_request", "refresh_token missing");
            assertRejected(server, post(server.tokenUrl(),
                    "{\"refresh_token\":\"rt-1\",\"refresh_token\":\"rt-1\",\"grant_type\":\"https://nl2go.com/jwt\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth), 400, "invalid_request", "not valid JSON");
            assertRejected(server, post(server.tokenUrl(), "[]", "Content-Type", JSON_TYPE, "Authorization", auth),
                    400, "invalid_request", "expected a JSON object");
            assertRejected(server, post(server.tokenUrl(),
                    "{\"refresh_token\":\"rt-9\",\"grant_type\":\"https://nl2go.com/jwt\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth), 400, "invalid_grant", "unknown");

            // only the documented grant type when so configured
            server.acceptGrantTypes("https://nl2go.com/jwt");
            assertRejected(server, post(server.tokenUrl(),
                    "{\"refresh_token\":\"rt-1\",\"grant_type\":\"https://nl2go.com/jwt_refresh\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth), 400, "unsupported_grant_type", "jwt_refresh");
            assertEquals(200, post(server.tokenUrl(), good, "Content-Type", JSON_TYPE + ";charset=utf-8",
                    "Authorization", auth).statusCode());
        }
    }

    @Test
    void newsletter2GoWithRotationRejectsReuse() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).rotateRefreshTokens(true)
                .addRefreshToken("rt-1")) {
            String auth = "Basic " + server.authKey();
            HttpResponse<String> first = post(server.tokenUrl(),
                    "{\"refresh_token\":\"rt-1\",\"grant_type\":\"https://nl2go.com/jwt\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth);
            assertEquals(200, first.statusCode());
            assertNotEquals("rt-1", JSON.readTree(first.body()).get("refresh_token").asText());
            assertRejected(server, post(server.tokenUrl(),
                    "{\"refresh_token\":\"rt-1\",\"grant_type\":\"https://nl2go.com/jwt\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth), 400, "invalid_grant", "already used");
        }
    }

    // ================================================================ AWEBER

    @Test
    void aweberAnswersWithExpiresInAndExpiresAt() throws Exception {
        Instant now = Instant.parse("2025-11-24T16:00:00.123Z");
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.AWEBER)
                .clientCredentials("aw-client", "aw-secret").addRefreshToken("rt-1")
                .clock(Clock.fixed(now, ZoneOffset.UTC))) {
            assertEquals(server.baseUrl() + "/oauth2/token", server.tokenUrl());
            HttpResponse<String> response = post(server.tokenUrl(),
                    form("grant_type", "refresh_token", "refresh_token", "rt-1"),
                    "Content-Type", FORM, "Authorization", basic("aw-client", "aw-secret"));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = JSON.readTree(response.body());
            assertEquals(7200, body.get("expires_in").asLong());
            assertTrue(body.get("expires_at").isFloatingPointNumber(), "expires_at is a float: " + response.body());
            assertEquals(new BigDecimal("1764007200.123"), body.get("expires_at").decimalValue());
            assertTrue(response.body().contains("\"expires_at\":1764007200.123"), response.body());
            assertEquals("bearer", body.get("token_type").asText());
            String newRefresh = body.get("refresh_token").asText();
            assertNotEquals("rt-1", newRefresh);

            // the query-string form from the AWeber page, with an empty body
            HttpResponse<String> query = post(server.tokenUrl() + "?" + form("grant_type", "refresh_token",
                    "refresh_token", newRefresh), "", "Content-Type", FORM, "Authorization",
                    basic("aw-client", "aw-secret"));
            assertEquals(200, query.statusCode(), query.body());
            assertEquals(2, server.successfulRefreshes());
        }
        // a whole second still reads as a float, never as an integer or in exponent notation
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.AWEBER).addRefreshToken("rt-1")
                .clock(Clock.fixed(Instant.parse("2025-11-24T16:00:00Z"), ZoneOffset.UTC))) {
            HttpResponse<String> response = post(server.tokenUrl(),
                    form("grant_type", "refresh_token", "refresh_token", "rt-1"),
                    "Content-Type", FORM, "Authorization", basic(server.clientId(), server.clientSecret()));
            assertTrue(response.body().contains("\"expires_at\":1764007200.000"), response.body());
        }
    }

    @Test
    void aweberRejectsEveryDeviation() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.AWEBER)
                .clientCredentials("aw-client", "aw-secret").addRefreshToken("rt-1")) {
            String auth = basic("aw-client", "aw-secret");
            String good = form("grant_type", "refresh_token", "refresh_token", "rt-1");

            assertRejected(server, post(server.tokenUrl() + "?" + good, good, "Content-Type", FORM,
                    "Authorization", auth), 400, "invalid_request", "both the query string and the body");
            assertRejected(server, post(server.tokenUrl(),
                    "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"rt-1\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth),
                    400, "invalid_request", "content type was application/json");
            assertRejected(server, post(server.tokenUrl() + "?" + good, "", "Content-Type", JSON_TYPE,
                    "Authorization", auth), 400, "invalid_request", "content type was application/json");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", FORM),
                    401, "invalid_client", "Authorization header missing");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", FORM,
                    "Authorization", basic("aw-client", "nope")), 401, "invalid_client", "did not match");
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "client_credentials", "refresh_token",
                    "rt-1"), "Content-Type", FORM, "Authorization", auth),
                    400, "unsupported_grant_type", "client_credentials");
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "refresh_token", "token", "rt-1"),
                    "Content-Type", FORM, "Authorization", auth), 400, "invalid_request", "[token]");
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token", "rt-1",
                    "client_id", "aw-client", "client_secret", "aw-secret"), "Content-Type", FORM),
                    401, "invalid_client", "client credentials were in the body");

            HttpResponse<String> ok = post(server.tokenUrl(), good, "Content-Type", FORM, "Authorization", auth);
            assertEquals(200, ok.statusCode());
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", FORM, "Authorization", auth),
                    400, "invalid_grant", "already used");
            assertEquals(JSON.readTree(ok.body()).get("refresh_token").asText(), server.currentRefreshToken());
        }
    }

    // ================================================================ PARTNER

    @Test
    void partnerAnswersInTheDocumentedShape() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.PARTNER).partnerId(1234)
                .addRefreshToken("rt-1")) {
            assertEquals(server.baseUrl() + "/v1/auth/token", server.tokenUrl());
            HttpResponse<String> response = post(server.tokenUrl(), "{\"refreshToken\":\"rt-1\"}",
                    "partnerId", "1234", "grantType", "refresh_token", "Content-Type", JSON_TYPE,
                    "Authorization", "Bearer ignored");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = JSON.readTree(response.body());
            assertTrue(body.get("access_token").asText().startsWith("at-"));
            assertEquals(3600, body.get("expires_in").asLong());
            assertEquals("Bearer", body.get("token_type").asText());
            String newRefresh = body.get("refresh_token").asText();
            assertNotEquals("rt-1", newRefresh);
            assertEquals(4, body.size());
            assertEquals("1234", server.requests().get(0).header("PartnerID"));

            HttpResponse<String> reuse = post(server.tokenUrl(), "{\"refreshToken\":\"rt-1\"}",
                    "partnerId", "1234", "grantType", "refresh_token", "Content-Type", JSON_TYPE);
            assertRejected(server, reuse, 400, "invalid_grant", "already used");
            assertEquals("Refresh token has expired or is invalid.",
                    JSON.readTree(reuse.body()).get("error_description").asText());
        }
    }

    @Test
    void partnerRejectsEveryDeviation() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.PARTNER).partnerId(1234)
                .addRefreshToken("rt-1")) {
            String good = "{\"refreshToken\":\"rt-1\"}";

            assertRejected(server, post(server.tokenUrl(), good, "grantType", "refresh_token",
                    "Content-Type", JSON_TYPE), 400, "invalid_request", "header partnerId missing");
            assertRejected(server, post(server.tokenUrl(), good, "partnerId", "12x", "grantType", "refresh_token",
                    "Content-Type", JSON_TYPE), 400, "invalid_request", "expected an int32");
            assertRejected(server, post(server.tokenUrl(), good, "partnerId", "99999999999", "grantType",
                    "refresh_token", "Content-Type", JSON_TYPE), 400, "invalid_request", "expected an int32");
            assertRejected(server, post(server.tokenUrl(), good, "partnerId", "4321", "grantType", "refresh_token",
                    "Content-Type", JSON_TYPE), 401, "invalid_client", "partnerId was 4321, expected 1234");
            assertRejected(server, post(server.tokenUrl(), good, "partnerId", "1234", "Content-Type", JSON_TYPE),
                    400, "invalid_request", "header grantType missing");
            assertRejected(server, post(server.tokenUrl(), good, "partnerId", "1234", "grantType", "password",
                    "Content-Type", JSON_TYPE), 400, "unsupported_grant_type", "grantType was password");
            assertRejected(server, post(server.tokenUrl(), form("refreshToken", "rt-1"), "partnerId", "1234",
                    "grantType", "refresh_token", "Content-Type", FORM),
                    400, "invalid_request", "content type was " + FORM);

            HttpResponse<String> snakeCase = post(server.tokenUrl(), "{\"refresh_token\":\"rt-1\"}",
                    "partnerId", "1234", "grantType", "refresh_token", "Content-Type", JSON_TYPE);
            assertRejected(server, snakeCase, 400, "invalid_request", "refreshToken missing");
            assertEquals("Missing refresh token.", JSON.readTree(snakeCase.body()).get("error_description").asText());

            assertRejected(server, post(server.tokenUrl(),
                    "{\"refreshToken\":\"rt-1\",\"grantType\":\"refresh_token\"}",
                    "partnerId", "1234", "grantType", "refresh_token", "Content-Type", JSON_TYPE),
                    400, "invalid_request", "[grantType]");
            assertRejected(server, post(server.tokenUrl(), "{\"refreshToken\":\"rt-9\"}", "partnerId", "1234",
                    "grantType", "refresh_token", "Content-Type", JSON_TYPE), 400, "invalid_grant", "unknown");
            assertEquals(0, server.successfulRefreshes());
        }
    }
}
