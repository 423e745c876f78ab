package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Token answers as vendors document them (the bodies below follow their pages, not the catalog), read through
 * {@link ResponseFields}: nested and renamed fields, the refresh token's reported lifetime, attributes, no lifetime.
 */
class VendorAnswerFieldsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private static Token parse(ResponseFields fields, Duration defaultExpiresIn, String body) {
        TokenResponseParser parser = new TokenResponseParser("p", "a", defaultExpiresIn,
                                                             URI.create("https://auth.example/token"), fields);
        return parser.parse(new TokenResponse(200, "application/json", null, null,
                                              body.getBytes(StandardCharsets.UTF_8)), "rt-old", List.of("rt-old"), NOW);
    }

    /** Slack oauth.v2.access with token rotation: the user token and its refresh token under authed_user. */
    @Test
    void slackUserTokenIsReadFromAuthedUser() {
        ResponseFields fields = new ResponseFields("authed_user.access_token", "authed_user.refresh_token",
                                                   "authed_user.expires_in", "refresh_token_expires_in",
                                                   Map.of("userId", "authed_user.id", "teamId", "team.id"));
        Token t = parse(fields, Duration.ofHours(1), """
                {"ok": true, "access_token": "xoxe.xoxb-bot", "token_type": "bot", "expires_in": 43200,
                 "refresh_token": "xoxe-1-bot", "team": {"name": "Softball", "id": "T9TK3CUKW"},
                 "authed_user": {"id": "U1234", "scope": "chat:write", "access_token": "xoxe.xoxp-user",
                                 "token_type": "user", "expires_in": 3600, "refresh_token": "xoxe-1-user"}}""");
        assertEquals("xoxe.xoxp-user", t.getAccessToken());
        assertEquals("xoxe-1-user", t.getRefreshToken());
        assertEquals(NOW.plusSeconds(3600), t.getExpiresAt());
        assertEquals(Map.of("userId", "U1234", "teamId", "T9TK3CUKW"), t.getAttributes());
    }

    /** Salesforce's refresh answer has no expires_in; instance_url is the API base of the org. */
    @Test
    void salesforceHasNoLifetimeAndItsInstanceUrlBecomesAnAttribute() {
        ResponseFields fields = new ResponseFields("access_token", "refresh_token", "expires_in",
                                                   "refresh_token_expires_in", Map.of("instanceUrl", "instance_url"));
        Token t = parse(fields, Duration.ofHours(2), """
                {"access_token": "00Dxx!AQ", "signature": "SSSbLO/gBhmmyNUvN18ODBDFYHzakxOMgqYtu+hDPsc=",
                 "scope": "refresh_token full", "instance_url": "https://mycompany.my.salesforce.com",
                 "id": "https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS",
                 "token_type": "Bearer", "issued_at": "1278448384422"}""");
        assertEquals(NOW.plus(Duration.ofHours(2)), t.getExpiresAt());
        assertEquals("https://mycompany.my.salesforce.com", t.getAttribute("instanceUrl"));
        assertEquals("rt-old", t.getRefreshToken(), "Salesforce sends no new refresh token: the old one is kept");
    }

    /** GitHub App user tokens: refresh_token_expires_in, RFC 6749's neighbour, is read by default. */
    @Test
    void githubReportsTheRefreshTokensLifetime() {
        Token t = parse(ResponseFields.RFC6749, Duration.ofHours(1), """
                {"access_token": "ghu_16C7e42F292c6912E7710c838347Ae178B4a", "expires_in": 28800,
                 "refresh_token": "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498",
                 "refresh_token_expires_in": 15811200, "scope": "", "token_type": "bearer"}""");
        assertEquals(NOW.plusSeconds(28_800), t.getExpiresAt());
        assertEquals(NOW.plusSeconds(15_811_200), t.getRefreshTokenExpiresAt());
    }

    /** Intuit names it x_refresh_token_expires_in. */
    @Test
    void intuitReportsItUnderItsOwnName() {
        ResponseFields fields = new ResponseFields("access_token", "refresh_token", "expires_in",
                                                   "x_refresh_token_expires_in", Map.of());
        Token t = parse(fields, Duration.ofHours(1), """
                {"token_type": "bearer", "expires_in": 3600, "refresh_token": "Q011...",
                 "x_refresh_token_expires_in": 8726400, "access_token": "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2In0"}""");
        assertEquals(NOW.plusSeconds(8_726_400), t.getRefreshTokenExpiresAt());
        assertEquals("Q011...", t.getRefreshToken());
    }

    /** Zoho: api_domain is where the account's data lives; an answer without it sets no attribute. */
    @Test
    void zohoApiDomainIsAnAttributeAndAMissingFieldSetsNone() {
        ResponseFields fields = new ResponseFields("access_token", "refresh_token", "expires_in",
                                                   "refresh_token_expires_in", Map.of("apiDomain", "api_domain"));
        Token t = parse(fields, Duration.ofHours(1), """
                {"access_token": "1000.2deaf8d0c268e3c85daa2a013a843b10.703adef2bb337b8ca36cfc5d7b83cf24",
                 "api_domain": "https://www.zohoapis.eu", "token_type": "Bearer", "expires_in": 3600}""");
        assertEquals("https://www.zohoapis.eu", t.getAttribute("apiDomain"));
        Token without = parse(fields, Duration.ofHours(1), "{\"access_token\": \"1000.x\", \"expires_in\": 3600}");
        assertEquals(Map.of(), without.getAttributes());
        assertNull(without.getRefreshTokenExpiresAt());
    }
}
