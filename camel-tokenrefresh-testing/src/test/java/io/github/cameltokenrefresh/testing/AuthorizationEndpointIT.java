package io.github.cameltokenrefresh.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict authorization endpoint accepts RFC 6749 §4.1 + RFC 7636 exactly and refuses each deviation. */
class AuthorizationEndpointIT {

    private static final String REDIRECT = "https://app.example.com/cb";
    private static final String VERIFIER = "verifier-0123456789-0123456789-0123456789-abc";

    private final StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2);
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Map<String, String> authorizeParams() throws Exception {
        server.authorization().redirectUri(REDIRECT);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", server.clientId());
        p.put("redirect_uri", REDIRECT);
        p.put("state", "s1");
        p.put("code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII))));
        p.put("code_challenge_method", "S256");
        return p;
    }

    private HttpResponse<String> authorize(Map<String, String> params) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.authorizationUrl() + "?" + form(params))).GET().build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    /** A code, issued after the simulated consent. */
    private String code() throws Exception {
        HttpResponse<String> answer = authorize(authorizeParams());
        assertEquals(302, answer.statusCode(), answer.body());
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(REDIRECT + "?code=") && location.endsWith("&state=s1"), location);
        return server.authorization().issuedCodes().get(server.authorization().issuedCodes().size() - 1);
    }

    private HttpResponse<String> redeem(Map<String, String> fields) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.putAll(fields);
        String basic = Base64.getEncoder().encodeToString((server.clientId() + ":" + server.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(server.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> fields(String code, String redirect, String verifier) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("code", code);
        if (redirect != null) {
            f.put("redirect_uri", redirect);
        }
        if (verifier != null) {
            f.put("code_verifier", verifier);
        }
        return f;
    }

    private void assertRefused(HttpResponse<String> answer, String error, String reason) {
        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"" + error + "\""), answer.body());
        assertTrue(server.rejections().stream().anyMatch(r -> r.contains(reason)), server.rejections()::toString);
    }

    @Test
    void aCodeIsRedeemedOnceForATokenPair() throws Exception {
        HttpResponse<String> answer = redeem(fields(code(), REDIRECT, VERIFIER));
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"access_token\"") && answer.body().contains("\"refresh_token\""));
        assertEquals(1, server.authorization().redemptions());
        assertRefused(redeem(fields(server.authorization().issuedCodes().get(0), REDIRECT, VERIFIER)),
                      "invalid_grant", "already used");
    }

    @Test
    void aWrongRedirectUriIsRefusedAtBothEndpoints() throws Exception {
        Map<String, String> params = authorizeParams();
        params.put("redirect_uri", "https://evil.example.com/cb");
        HttpResponse<String> page = authorize(params);
        assertEquals(400, page.statusCode());
        assertTrue(page.headers().firstValue("Location").isEmpty(), "never redirects to an unregistered URI");
        assertRefused(redeem(fields(code(), "https://app.example.com/other", VERIFIER)), "invalid_grant",
                      "redirect_uri");
        assertRefused(redeem(fields(code(), null, VERIFIER)), "invalid_grant", "redirect_uri");
    }

    @Test
    void aMissingOrWrongVerifierIsRefused() throws Exception {
        assertRefused(redeem(fields(code(), REDIRECT, null)), "invalid_grant", "code_verifier missing");
        assertRefused(redeem(fields(code(), REDIRECT, VERIFIER.replace('a', 'b'))), "invalid_grant",
                      "does not match");
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        server.authorization().codeLifetime(Duration.ZERO);
        assertRefused(redeem(fields(code(), REDIRECT, VERIFIER)), "invalid_grant", "code expired");
    }

    @Test
    void anUnknownClientOrAMissingChallengeIsRefused() throws Exception {
        Map<String, String> params = authorizeParams();
        params.put("client_id", "someone-else");
        HttpResponse<String> page = authorize(params);
        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("unauthorized_client"), page.body());

        Map<String, String> plain = authorizeParams();
        plain.remove("code_challenge");
        plain.remove("code_challenge_method");
        HttpResponse<String> redirect = authorize(plain);
        assertEquals(302, redirect.statusCode());
        assertEquals(REDIRECT + "?error=invalid_request&state=s1", redirect.headers().firstValue("Location").get());
        assertRefused(redeem(fields("code-unknown", REDIRECT, VERIFIER)), "invalid_grant", "code unknown");
    }

    @Test
    void aDeniedConsentRedirectsWithAccessDenied() throws Exception {
        server.authorization().denyNext();
        HttpResponse<String> redirect = authorize(authorizeParams());
        assertEquals(REDIRECT + "?error=access_denied&state=s1", redirect.headers().firstValue("Location").get());
        assertEquals(0, server.authorization().issuedCodes().size());
    }

    private static String form(Map<String, String> params) {
        StringJoiner joiner = new StringJoiner("&");
        params.forEach((k, v) -> joiner.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                                            + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return joiner.toString();
    }
}
