package io.github.cameltokenrefresh.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the test server's OAUTH2 dialect: it accepts the documented RFC 6749 request (Basic or in-body client
 * authentication), answers in the documented shape, rotates and revokes as asked, and rejects every deviation with the
 * right status, RFC 6749 §5.2 error and a recorded reason.
 */
class StrictTokenServerOAuth2IT extends StrictTokenServerRequests {

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
}
