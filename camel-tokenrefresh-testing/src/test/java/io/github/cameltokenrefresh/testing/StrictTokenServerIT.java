package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the test server itself: each dialect accepts its documented request, answers in the documented shape, and
 * rejects every deviation with the right status, RFC 6749 §5.2 error and a recorded reason. Requests are made with
 * the JDK HttpClient, so nothing here depends on the component under test.
 */
class StrictTokenServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON_TYPE = "application/json";

    // HTTP/1.1 only: the default HTTP/2 upgrade attempt would add h2c headers to the recorded wire format
    private static final ExecutorService CLIENT_POOL = Executors.newCachedThreadPool();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(CLIENT_POOL)
            .build();

    @AfterAll
    static void stopClientPool() {
        CLIENT_POOL.shutdownNow();
    }

    // ================================================================ OAUTH2

    @Test
    void oauth2AcceptsBasicRefreshAndRotates() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                .clientCredentials("client-1", "secret-1").addRefreshToken("rt-1")) {
            assertEquals("/oauth/token", server.tokenPath());
            assertEquals(server.baseUrl() + "/oauth/token", server.tokenUrl());
            assertTrue(server.baseUrl().startsWith("http://127.0.0.1:"));

            HttpResponse<String> response = post(server.tokenUrl(),
                    form("grant_type", "refresh_token", "refresh_token", "rt-1"),
                    "Content-Type", FORM + "; charset=UTF-8", "Authorization", basic("client-1", "secret-1"),
                    "Accept", "application/json");

            assertEquals(200, response.statusCode());
            assertEquals(JSON_TYPE, response.headers().firstValue("Content-Type").orElse(null));
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
            JsonNode body = JSON.readTree(response.body());
            assertEquals("Bearer", body.get("token_type").asText());
            assertEquals(3600, body.get("expires_in").asLong());
            String accessToken = body.get("access_token").asText();
            String newRefresh = body.get("refresh_token").asText();
            assertTrue(accessToken.startsWith("at-"));
            assertNotEquals("rt-1", newRefresh);
            assertTrue(server.isAccessTokenValid(accessToken));
            assertEquals(List.of(accessToken), server.issuedAccessTokens());
            assertEquals(List.of(newRefresh), server.issuedRefreshTokens());
            assertEquals(newRefresh, server.currentRefreshToken());
            assertEquals(1, server.successfulRefreshes());
            assertEquals(List.of(), server.rejections());

            // the rotated-away token is now invalid_grant
            HttpResponse<String> reuse = post(server.tokenUrl(),
                    form("grant_type", "refresh_token", "refresh_token", "rt-1"),
                    "Content-Type", FORM, "Authorization", basic("client-1", "secret-1"));
            assertRejected(server, reuse, 400, "invalid_grant", "already used");

            // the new one works
            HttpResponse<String> next = post(server.tokenUrl(),
                    form("grant_type", "refresh_token", "refresh_token", newRefresh),
                    "Content-Type", FORM, "Authorization", basic("client-1", "secret-1"));
            assertEquals(200, next.statusCode());
            assertEquals(3, server.tokenCalls());
            assertEquals(2, server.successfulRefreshes());

            // the wire format is recorded with lower-cased header names and the raw body
            RecordedRequest first = server.requests().get(0);
            assertEquals("POST", first.method());
            assertEquals("/oauth/token", first.path());
            assertNull(first.query());
            assertEquals(basic("client-1", "secret-1"), first.headers().get("authorization").get(0));
            assertEquals("grant_type=refresh_token&refresh_token=rt-1", first.body());
        }
    }

    @Test
    void aReusedRefreshTokenRevokesItsWholeFamilyWhenAsked() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                .clientCredentials("client-1", "secret-1").addRefreshToken("rt-1").revokeFamilyOnReuse(true)) {
            String auth = basic("client-1", "secret-1");
            HttpResponse<String> first = post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token", "rt-1"),
                                              "Content-Type", FORM, "Authorization", auth);
            String second = JSON.readTree(first.body()).get("refresh_token").asText();
            HttpResponse<String> next = post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token", second),
                                             "Content-Type", FORM, "Authorization", auth);
            String current = JSON.readTree(next.body()).get("refresh_token").asText();
            assertEquals(0, server.familyRevocations());

            // rt-1 again (a second replica with a stale copy): the family goes, the current refresh token included
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token", "rt-1"),
                                        "Content-Type", FORM, "Authorization", auth), 400, "invalid_grant", "already used");
            assertEquals(1, server.familyRevocations());
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token", current),
                                        "Content-Type", FORM, "Authorization", auth), 400, "invalid_grant", "revoked");
        }
    }

    @Test
    void oauth2BasicCredentialsMustBeFormEncodedBeforeBase64() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                .clientCredentials("client:id", "s3cr+t %").addRefreshToken("rt-1")) {
            String rawPair = Base64.getEncoder()
                    .encodeToString("client:id:s3cr+t %".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> raw = post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token",
                    "rt-1"), "Content-Type", FORM, "Authorization", "Basic " + rawPair);
            assertRejected(server, raw, 401, "invalid_client", "Basic credentials");
            assertTrue(raw.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));

            HttpResponse<String> encoded = post(server.tokenUrl(), form("grant_type", "refresh_token",
                    "refresh_token", "rt-1"), "Content-Type", FORM, "Authorization", basic("client:id", "s3cr+t %"));
            assertEquals(200, encoded.statusCode());
        }
    }

    @Test
    void oauth2ClientAuthInBody() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2).clientAuthInBody(true)
                .clientCredentials("client-1", "secret-1").addRefreshToken("rt-1").addRefreshToken("rt-2")) {
            HttpResponse<String> ok = post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token",
                    "rt-1", "client_id", "client-1", "client_secret", "secret-1"), "Content-Type", FORM);
            assertEquals(200, ok.statusCode());

            HttpResponse<String> withBasic = post(server.tokenUrl(), form("grant_type", "refresh_token",
                    "refresh_token", "rt-2"), "Content-Type", FORM, "Authorization", basic("client-1", "secret-1"));
            assertRejected(server, withBasic, 401, "invalid_client", "Authorization header present");

            HttpResponse<String> both = post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token",
                    "rt-2", "client_id", "client-1", "client_secret", "secret-1"), "Content-Type", FORM,
                    "Authorization", basic("client-1", "secret-1"));
            assertRejected(server, both, 400, "invalid_request", "more than one client authentication");

            HttpResponse<String> wrongSecret = post(server.tokenUrl(), form("grant_type", "refresh_token",
                    "refresh_token", "rt-2", "client_id", "client-1", "client_secret", "nope"), "Content-Type", FORM);
            assertRejected(server, wrongSecret, 401, "invalid_client", "did not match");
        }
    }

    @Test
    void oauth2RejectsEveryDeviation() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                .clientCredentials("client-1", "secret-1").addRefreshToken("rt-1")) {
            String auth = basic("client-1", "secret-1");
            String good = form("grant_type", "refresh_token", "refresh_token", "rt-1");

            assertRejected(server, post(server.tokenUrl(),
                    "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"rt-1\"}",
                    "Content-Type", JSON_TYPE, "Authorization", auth),
                    400, "invalid_request", "content type was application/json, expected " + FORM);
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", "text/plain", "Authorization", auth),
                    400, "invalid_request", "content type was text/plain");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", FORM + "; charset=ISO-8859-1",
                    "Authorization", auth), 400, "invalid_request", "charset=UTF-8");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", FORM),
                    401, "invalid_client", "Authorization header missing");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", FORM,
                    "Authorization", basic("client-1", "wrong")), 401, "invalid_client", "did not match");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", FORM, "Authorization", "Bearer x"),
                    401, "invalid_client", "scheme was Bearer");
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token", "rt-1",
                    "client_secret", "secret-1"), "Content-Type", FORM, "Authorization", auth),
                    400, "invalid_request", "more than one client authentication");
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "password", "refresh_token", "rt-1"),
                    "Content-Type", FORM, "Authorization", auth), 400, "unsupported_grant_type", "password");
            assertRejected(server, post(server.tokenUrl(), form("refresh_token", "rt-1"),
                    "Content-Type", FORM, "Authorization", auth), 400, "invalid_request", "grant_type missing");
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "refresh_token"),
                    "Content-Type", FORM, "Authorization", auth), 400, "invalid_request", "refresh_token missing");
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "refresh_token", "refreshToken", "rt-1"),
                    "Content-Type", FORM, "Authorization", auth), 400, "invalid_request", "[refreshToken]");
            assertRejected(server, post(server.tokenUrl(), good + "&refresh_token=rt-1",
                    "Content-Type", FORM, "Authorization", auth), 400, "invalid_request", "more than once");
            assertRejected(server, post(server.tokenUrl() + "?grant_type=refresh_token", good,
                    "Content-Type", FORM, "Authorization", auth), 400, "invalid_request", "unexpected query string");
            assertRejected(server, post(server.tokenUrl(), form("grant_type", "refresh_token", "refresh_token", "rt-x"),
                    "Content-Type", FORM, "Authorization", auth), 400, "invalid_grant", "unknown");

            HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(server.tokenUrl())).GET());
            assertRejected(server, get, 405, "invalid_request", "method was GET, expected POST");
            assertEquals("POST", get.headers().firstValue("Allow").orElse(null));

            int tokenCallsBefore = server.tokenCalls();
            assertRejected(server, post(server.baseUrl() + "/oauth2/token", good, "Content-Type", FORM,
                    "Authorization", auth), 404, "invalid_request", "path was /oauth2/token, expected /oauth/token");
            assertEquals(tokenCallsBefore, server.tokenCalls(), "a wrong path is not a token call");

            server.revokeRefreshToken("rt-1");
            assertRejected(server, post(server.tokenUrl(), good, "Content-Type", FORM, "Authorization", auth),
                    400, "invalid_grant", "revoked");

            assertEquals(0, server.successfulRefreshes());
            assertEquals(17, server.rejections().size());
        }
    }

    @Test
    void oauth2WithoutRefreshTokenOrExpiryInResponse() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2).addRefreshToken("rt-1")
                .omitRefreshTokenInResponse(true).expiresIn(null)) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response = post(server.tokenUrl(),
                        form("grant_type", "refresh_token", "refresh_token", "rt-1", "scope", "read write"),
                        "Content-Type", FORM, "Authorization", basic(server.clientId(), server.clientSecret()));
                assertEquals(200, response.statusCode(), "the kept refresh token stays valid");
                JsonNode body = JSON.readTree(response.body());
                assertFalse(body.has("refresh_token"));
                assertFalse(body.has("expires_in"));
                assertEquals("read write", body.get("scope").asText());
                assertTrue(server.isAccessTokenValid(body.get("access_token").asText()));
            }
            assertEquals("rt-1", server.currentRefreshToken());
        }
    }

    @Test
    void extraParametersAndRequiredHeadersAreOptIn() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2).addRefreshToken("rt-1")
                .addRefreshToken("rt-2").requireHeader("X-Tenant", "acme")) {
            String auth = basic(server.clientId(), server.clientSecret());
            String body = form("grant_type", "refresh_token", "refresh_token", "rt-1", "audience", "api");
            assertRejected(server, post(server.tokenUrl(), body, "Content-Type", FORM, "Authorization", auth,
                    "X-Tenant", "acme"), 400, "invalid_request", "unexpected form field [audience]");
            assertRejected(server, post(server.tokenUrl(), body, "Content-Type", FORM, "Authorization", auth,
                    "X-Tenant", "other"), 400, "invalid_request", "header x-tenant");
            server.allowExtraParameters("audience");
            assertEquals(200, post(server.tokenUrl(), body, "Content-Type", FORM, "Authorization", auth,
                    "X-Tenant", "acme").statusCode());
        }
    }

    // ================================================================ NEWSLETTER2GO

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

    // ================================================================ fault injection

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

    // ================================================================ helpers

    private static HttpResponse<String> post(String url, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder);
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return HTTP.send(builder.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(String... pairs) {
        StringJoiner joiner = new StringJoiner("&");
        for (int i = 0; i < pairs.length; i += 2) {
            joiner.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                       + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return joiner.toString();
    }

    /** RFC 6749 §2.3.1: form-encode id and secret, join with ':', then Base64. */
    private static String basic(String clientId, String clientSecret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                      + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Status, RFC 6749 §5.2 JSON error body, and a reason recorded by the server for this very request. */
    private static void assertRejected(StrictTokenServer server, HttpResponse<String> response, int status,
                                       String error, String reasonFragment) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(JSON_TYPE, response.headers().firstValue("Content-Type").orElse(null));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(error, body.get("error").asText(), response.body());
        assertNotNull(body.get("error_description"), response.body());
        List<String> reasons = server.rejections();
        assertFalse(reasons.isEmpty(), "no rejection recorded");
        String last = reasons.get(reasons.size() - 1);
        assertTrue(last.contains(reasonFragment), "reason '" + last + "' does not mention '" + reasonFragment + "'");
    }
}
