package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.EXPIRY_MARGIN_FROM;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.REFRESH_AHEAD_FROM;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.START;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.connectionRefused;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.invalidGrant;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.unavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retriable failures and their backoff, and the dead account on invalid_grant and its revival. */
@ExtendWith(QuietLog.class)
class AccountTokenCacheFailuresTest {

    private static final Duration EXPIRED = LIFETIME;

    private final AccountFixture f = new AccountFixture();

    @Test
    void failingInTheWindowServesTheTokenUntilItExpiresThenRefusesUntilRetryAfterEndsThenRecovers() {
        Token first = f.freshToken();
        f.at(REFRESH_AHEAD_FROM);
        f.client.then(unavailable("600"));
        f.cache().token();
        f.executor.runTheOneQueued();

        AccountStatus failing = f.cache().status();
        assertEquals(TokenState.FAILING, failing.state());
        assertEquals(START.plus(REFRESH_AHEAD_FROM).plusSeconds(600), failing.nextAttemptAt(), "Retry-After");
        assertEquals(1, failing.failures());
        assertEquals(2, failing.tokenCalls());
        assertEquals(List.of(TokenEvent.Type.REFRESH_FAILED), f.observer.types());
        assertEquals("http_503", f.observer.last().errorType());

        f.at(EXPIRY_MARGIN_FROM.plusSeconds(15)); // inside the margin, not yet expired, still backing off
        assertSame(first, f.cache().token());
        assertSame(first, f.cache().refreshIfExpiring());
        assertEquals(0, f.executor.queued());
        assertTrue(f.cache().status().usable());

        f.at(EXPIRED);
        RefreshBackoffException refused = assertThrows(RefreshBackoffException.class, () -> f.cache().token());
        assertEquals(failing.nextAttemptAt(), refused.getNextAttempt());
        assertThrows(RefreshBackoffException.class, () -> f.cache().refresh());
        assertTrue(f.cache().status().isDown());
        assertEquals(2, f.client.calls(), "no token call before the backoff ends");

        f.toNextAttempt();
        f.client.then(ok("at-2", "rt-2", 3600));
        assertEquals("at-2", f.cache().token().getAccessToken());
        AccountStatus recovered = f.cache().status();
        assertEquals(TokenState.FRESH, recovered.state());
        assertNull(recovered.nextAttemptAt());
        assertNull(recovered.lastErrorType());
        assertEquals(2, recovered.refreshes());
        assertEquals(1, recovered.failures());
        assertEquals(List.of("rt-0", "rt-1", "rt-1"), f.client.sentRefreshTokens());
    }

    @Test
    void aCallerWaitingInTheMarginGetsTheStillValidTokenWhenTheRefreshFails() {
        Token first = f.freshToken();
        f.at(EXPIRY_MARGIN_FROM);
        f.client.then(connectionRefused());

        assertSame(first, f.cache().token());
        assertEquals(TokenState.FAILING, f.cache().status().state());
        assertEquals("unreachable", f.cache().status().lastErrorType());
    }

    @Test
    void aCallerWithAnExpiredTokenGetsTheFailureAndTheBackoffGrowsWithEachAttempt() {
        f.freshToken();
        f.at(EXPIRED);
        f.client.then(connectionRefused(), connectionRefused());

        assertThrows(TokenEndpointUnavailableException.class, () -> f.cache().token());
        Instant failedAt = f.clock.instant();
        Instant first = f.cache().status().nextAttemptAt();
        assertBetween(failedAt.plusSeconds(5), first, failedAt.plusSeconds(10));

        f.clock.advance(Duration.between(failedAt, first).minusMillis(1));
        assertThrows(RefreshBackoffException.class, () -> f.cache().token());
        assertEquals(2, f.client.calls());

        f.toNextAttempt();
        Instant secondFailedAt = f.clock.instant();
        assertThrows(TokenEndpointUnavailableException.class, () -> f.cache().token());
        assertBetween(secondFailedAt.plusSeconds(10), f.cache().status().nextAttemptAt(), secondFailedAt.plusSeconds(20));
        assertEquals(3, f.client.calls());
        assertEquals(2, f.cache().status().failures());
    }

    @Test
    void invalidGrantKillsTheAccountAndTheRefusedRefreshTokenIsNeverSentAgain() {
        Token first = f.freshToken();
        f.at(REFRESH_AHEAD_FROM);
        f.client.then(invalidGrant());
        f.cache().token();
        f.executor.runTheOneQueued();

        assertEquals(TokenState.DEAD, f.cache().status().state());
        assertEquals(List.of(TokenEvent.Type.INVALID_GRANT), f.observer.types());
        assertEquals("invalid_grant", f.observer.last().errorType());
        f.at(EXPIRED.minusMillis(1));
        assertSame(first, f.cache().token(), "a dead account still serves a token that has not expired");

        f.at(EXPIRED.plusDays(3));
        InvalidGrantException dead = assertThrows(InvalidGrantException.class, () -> f.cache().token());
        assertEquals("refresh token revoked", dead.getErrorDescription());
        assertThrows(InvalidGrantException.class, () -> f.cache().refresh());
        assertThrows(InvalidGrantException.class, () -> f.cache().refreshIfCurrent("at-1"));
        assertEquals(List.of("rt-0", "rt-1"), f.client.sentRefreshTokens());
        assertTrue(f.cache().status().isDown());
    }

    @Test
    void aDeadAccountIsRevivedBySupplyRefreshTokenWhichIsSavedAndSentNext() {
        f.freshToken();
        f.at(EXPIRED);
        f.client.then(invalidGrant());
        assertThrows(InvalidGrantException.class, () -> f.cache().token());

        f.cache().supplyRefreshToken("rt-new");

        assertEquals("rt-new", f.stored().token().getRefreshToken());
        assertEquals(TokenState.NO_TOKEN, f.cache().status().state());
        f.client.then(ok("at-2", "rt-2", 3600));
        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1", "rt-new"), f.client.sentRefreshTokens());
        assertEquals(TokenState.FRESH, f.cache().status().state());
    }

    @Test
    void theBackoffGrowsToItsCapAndStartsOverAfterARecovery() {
        f.freshToken();
        f.at(EXPIRED);
        long[] capsSeconds = {10, 20, 40, 80, 160, 320, 600, 600};
        for (long cap : capsSeconds) {
            f.client.then(connectionRefused());
            Instant failedAt = f.clock.instant();
            assertThrows(TokenEndpointUnavailableException.class, () -> f.cache().token());
            assertBetween(failedAt.plusSeconds(cap / 2), f.cache().status().nextAttemptAt(), failedAt.plusSeconds(cap));
            f.toNextAttempt();
        }
        f.client.then(ok("at-2", "rt-2", 3600));
        f.cache().token();
        f.at(EXPIRED.plus(EXPIRED).plusHours(1));
        f.client.then(connectionRefused());
        Instant failedAt = f.clock.instant();
        assertThrows(TokenEndpointUnavailableException.class, () -> f.cache().token());
        assertBetween(failedAt.plusSeconds(5), f.cache().status().nextAttemptAt(), failedAt.plusSeconds(10));
    }

    @Test
    void anAccountFailingWithoutATokenRefusesWithTheNextAttemptUntilTheBackoffEnds() {
        f.storeRefreshToken("rt-0");
        f.client.then(unavailable("120"));
        assertThrows(TokenEndpointUnavailableException.class, () -> f.cache().token());
        assertEquals(TokenState.FAILING, f.cache().status().state());

        RefreshBackoffException refused = assertThrows(RefreshBackoffException.class, () -> f.cache().token());
        assertEquals(START.plusSeconds(120), refused.getNextAttempt());
        assertEquals(1, f.client.calls());
    }

    @Test
    void invalidateLetsADeadAccountPickUpARefreshTokenReplacedInTheStore() {
        f.freshToken();
        f.at(EXPIRED);
        f.client.then(invalidGrant());
        assertThrows(InvalidGrantException.class, () -> f.cache().token());
        f.anotherInstanceSaves(Token.ofRefreshToken("rt-reauthorized", f.clock.instant()));
        assertThrows(InvalidGrantException.class, () -> f.cache().token(), "dead until told otherwise");

        f.cache().invalidate();
        f.client.then(ok("at-2", "rt-2", 3600));

        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1", "rt-reauthorized"), f.client.sentRefreshTokens());
    }

    @Test
    void failuresAreLoggedWithoutATokenOrTheClientSecret() {
        try (LogCapture log = new LogCapture()) {
            f.storeRefreshToken("rt-secret-stored");
            f.client.then(ok("at-secret-1", "rt-secret-1", 3600), connectionRefused(), invalidGrant());
            f.cache().token();
            f.at(EXPIRED);
            assertThrows(TokenEndpointUnavailableException.class, () -> f.cache().token());
            f.toNextAttempt();
            assertThrows(InvalidGrantException.class, () -> f.cache().token());

            String text = log.text();
            assertTrue(text.contains("token endpoint unreachable") && text.contains("invalid_grant"), text);
            for (String secret : List.of("rt-secret", "at-secret", "secret-1")) {
                assertFalse(text.contains(secret), secret + " in the log:\n" + text);
            }
        }
    }

    private static void assertBetween(Instant low, Instant actual, Instant high) {
        assertTrue(!actual.isBefore(low) && !actual.isAfter(high), actual + " not in [" + low + ", " + high + "]");
    }
}
