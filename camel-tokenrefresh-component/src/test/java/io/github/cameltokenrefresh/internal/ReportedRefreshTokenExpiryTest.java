package io.github.cameltokenrefresh.internal;

import java.time.Duration;
import java.time.Instant;

import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A refresh token's end as the provider reported it (refresh_token_expires_in) drives the same warning as
 * refreshTokenLifetime; with both, the earlier end wins.
 */
class ReportedRefreshTokenExpiryTest {

    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    private static RefreshPolicy policy(Duration lifetime) {
        return new RefreshPolicy(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1),
                                 Duration.ofMinutes(1), lifetime, Duration.ofDays(7));
    }

    private static Token token(Instant reportedEnd) {
        return Token.builder().accessToken("at").refreshToken("rt").issuedAt(T0).expiresAt(T0.plusSeconds(3600))
                .refreshTokenIssuedAt(T0).refreshTokenExpiresAt(reportedEnd).build();
    }

    @Test
    void theReportedEndAloneDecides() {
        RefreshPolicy unknownLifetime = policy(null);
        Token token = token(T0.plus(Duration.ofDays(30)));

        assertEquals(T0.plus(Duration.ofDays(30)), unknownLifetime.refreshTokenExpiresAt(token));
        assertFalse(unknownLifetime.isRefreshTokenExpiring(token, T0.plus(Duration.ofDays(22))));
        assertTrue(unknownLifetime.isRefreshTokenExpiring(token, T0.plus(Duration.ofDays(23))));
        assertNull(unknownLifetime.refreshTokenExpiresAt(token(null)));
    }

    @Test
    void theEarlierOfReportedAndConfiguredWins() {
        assertEquals(T0.plus(Duration.ofDays(10)),
                     policy(Duration.ofDays(60)).refreshTokenExpiresAt(token(T0.plus(Duration.ofDays(10)))));
        assertEquals(T0.plus(Duration.ofDays(60)),
                     policy(Duration.ofDays(60)).refreshTokenExpiresAt(token(T0.plus(Duration.ofDays(90)))));
    }
}
