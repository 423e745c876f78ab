package io.github.cameltokenrefresh.token;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A status built from what its builder was told; what it was not told reads as null, false or zero. */
class AccountStatusTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    @Test
    void readsBackWhatItWasBuiltWith() {
        AccountStatus status = AccountStatus.builder("crm", "acme")
                .state(TokenState.FAILING, NOW, true)
                .expiry(NOW.plusSeconds(60), NOW.minusSeconds(10), NOW.plusSeconds(30))
                .history(NOW.minusSeconds(3600), NOW, "http_503", NOW.plusSeconds(20))
                .tokenCalls(5).refreshes(3).failures(2).leaseWaits(1)
                .build();

        assertEquals("crm", status.provider());
        assertEquals("acme", status.account());
        assertEquals(TokenState.FAILING, status.state());
        assertEquals(NOW.plusSeconds(60), status.expiresAt());
        assertEquals(NOW.plusSeconds(20), status.nextAttemptAt());
        assertEquals("http_503", status.lastErrorType());
        assertEquals(5, status.tokenCalls());
        assertEquals(2, status.failures());
        assertEquals(1, status.leaseWaits());
        assertEquals(0, status.adoptedRefreshes());
        assertNull(status.refreshTokenExpiresAt());
        assertFalse(status.isDown(), "failing but still usable");
    }

    @Test
    void isDownWhenDeadOrFailingWithoutAWorkingToken() {
        assertTrue(AccountStatus.builder("p", "a").state(TokenState.DEAD, NOW, true).build().isDown());
        assertTrue(AccountStatus.builder("p", "a").state(TokenState.FAILING, NOW, false).build().isDown());
        assertFalse(AccountStatus.builder("p", "a").state(TokenState.FRESH, NOW, true).build().isDown());
    }

    @Test
    void needsAStateAndATime() {
        assertThrows(NullPointerException.class, () -> AccountStatus.builder("p", "a").build());
    }
}
