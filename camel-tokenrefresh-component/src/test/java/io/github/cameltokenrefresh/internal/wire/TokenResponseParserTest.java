package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenErrorResponseException;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenResponseParserTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final TokenResponseParser parser = new TokenResponseParser("p", "a", Duration.ofHours(1),
                                                                         URI.create("https://auth.example/token"));

    private Token parse(int status, String contentType, String body) {
        return parser.parse(new TokenResponse(status, contentType, null, null, body.getBytes(StandardCharsets.UTF_8)),
                            "rt-old", List.of("rt-old", "secret-x"), NOW);
    }

    @Test
    void newsletter2goAnswerKeepsVendorFields() {
        Token t = parse(200, "application/json", "{\"access_token\":\"at\",\"expires_in\":7200,\"token_type\":\"bearer\","
                                                 + "\"scope\":null,\"refresh_token\":\"rt-old\",\"account_id\":\"awtfn5jn\","
                                                 + "\"type\":\"user\"}");
        assertEquals("at", t.getAccessToken());
        assertEquals(NOW.plusSeconds(7200), t.getExpiresAt());
        assertNull(t.getScope());
        assertEquals("awtfn5jn", t.getAdditionalFields().get("account_id"));
        assertEquals("user", t.getAdditionalFields().get("type"));
        assertFalse(t.getAdditionalFields().containsKey("expires_in"));
    }

    @Test
    void aweberFloatExpiresAtIsUsedWhenExpiresInIsAbsent() {
        long at = NOW.getEpochSecond() + 7200;
        Token t = parse(200, "application/json", "{\"access_token\":\"at\",\"expires_at\":" + at + ".5,\"refresh_token\":\"rt-new\"}");
        assertEquals(Instant.ofEpochMilli(at * 1000 + 500), t.getExpiresAt());
        assertEquals("rt-new", t.getRefreshToken());
    }

    @Test
    void expiresInWinsOverExpiresAtBecauseItDoesNotDependOnClocksAgreeing() {
        Token t = parse(200, "application/json", "{\"access_token\":\"at\",\"expires_in\":\"3600\",\"expires_at\":1.0}");
        assertEquals(NOW.plusSeconds(3600), t.getExpiresAt());
    }

    @Test
    void noLifetimeUsesTheDefaultAndNoRefreshTokenKeepsTheOldOne() {
        Token t = parse(200, "application/json;charset=UTF-8", "{\"access_token\":\"at\"}");
        assertEquals(NOW.plus(Duration.ofHours(1)), t.getExpiresAt());
        assertEquals("rt-old", t.getRefreshToken());
    }

    @Test
    void unusableAnswersAreTypedAndExplained() {
        InvalidTokenResponseException html = assertThrows(InvalidTokenResponseException.class,
                () -> parse(200, "text/html", "<html></html>"));
        assertTrue(html.getMessage().contains("HTTP 200") && html.getMessage().contains("text/html"));
        assertThrows(InvalidTokenResponseException.class, () -> parse(200, "application/json", "{\"access_token\":"));
        assertThrows(InvalidTokenResponseException.class, () -> parse(200, "application/json", "{\"token_type\":\"bearer\"}"));
        assertThrows(InvalidTokenResponseException.class,
                () -> parse(200, "application/json", "{\"access_token\":\"at\",\"expires_in\":0}"));
        assertThrows(InvalidTokenResponseException.class,
                () -> parse(200, "application/json", "{\"access_token\":\"at\",\"expires_in\":-5}"));
        assertThrows(InvalidTokenResponseException.class,
                () -> parse(200, "application/json", "{\"access_token\":\"at\",\"expires_in\":\"soon\"}"));
        assertThrows(InvalidTokenResponseException.class, () -> parse(302, null, ""));
    }

    @Test
    void errorBodiesBecomeTypedErrorsWithSecretsScrubbed() {
        InvalidGrantException grant = assertThrows(InvalidGrantException.class, () -> parse(400, "application/json",
                "{\"error\":\"invalid_grant\",\"error_description\":\"token rt-old expired\"}"));
        assertEquals("token *** expired", grant.getErrorDescription());
        assertFalse(grant.getMessage().contains("rt-old"));
        assertFalse(grant.isRetriable());

        TokenErrorResponseException client = assertThrows(TokenErrorResponseException.class,
                () -> parse(401, "application/json", "{\"error\":\"invalid_client\"}"));
        assertEquals("invalid_client", client.getError());
        assertTrue(client.getMessage().contains("clientId"), client.getMessage());
    }

    @Test
    void serverTroubleIsRetriableAndHonoursRetryAfter() {
        TokenEndpointUnavailableException e = assertThrows(TokenEndpointUnavailableException.class,
                () -> parser.parse(new TokenResponse(429, "application/json", "30", null, new byte[0]), "rt", List.of(), NOW));
        assertEquals(Duration.ofSeconds(30), e.getRetryAfter());
        assertTrue(e.isRetriable());
        TokenEndpointUnavailableException dated = assertThrows(TokenEndpointUnavailableException.class,
                () -> parser.parse(new TokenResponse(503, "text/plain", "Sun, 22 Nov 2026 10:02:00 GMT", null, new byte[0]),
                                   "rt", List.of(), NOW));
        assertEquals(Duration.ofMinutes(2), dated.getRetryAfter());
        assertInstanceOf(TokenRefreshException.class, dated);
    }
}
