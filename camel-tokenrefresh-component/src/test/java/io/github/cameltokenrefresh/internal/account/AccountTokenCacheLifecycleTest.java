package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.ACCOUNT;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.EXPIRY_MARGIN_FROM;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.PROVIDER;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.REFRESH_AHEAD_FROM;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.START;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.token;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.okKeepingRefreshToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The healthy life of one account: fresh, refresh-ahead, expired, adopted from the store, invalidated. */
@ExtendWith(QuietLog.class)
class AccountTokenCacheLifecycleTest {

    private final AccountFixture f = new AccountFixture();

    @Test
    void firstCallerWithOnlyAStoredRefreshTokenWaitsForOneRefreshAndGetsItsTokenSavedFirst() {
        f.storeRefreshToken("rt-0");
        f.client.then(ok("at-1", "rt-1", 3600));

        Token token = f.cache().token();

        assertEquals("at-1", token.getAccessToken());
        assertEquals(START.plus(LIFETIME), token.getExpiresAt());
        assertEquals(List.of("send rt-0", "save rt-1"), f.journal);
        assertEquals("refresh_token", f.client.request(1).get("grant_type"));
        assertEquals("at-1", f.stored().token().getAccessToken());
        assertEquals(List.of(TokenEvent.Type.REFRESHED), f.observer.types());
        AccountStatus status = f.cache().status();
        assertEquals(TokenState.FRESH, status.state());
        assertEquals(1, status.tokenCalls());
        assertEquals(1, status.refreshes());
        assertEquals(0, status.failures());
        assertEquals(START.plus(REFRESH_AHEAD_FROM), status.refreshAheadFrom());
        assertEquals(START.plus(EXPIRY_MARGIN_FROM), status.expiryMarginFrom());
        assertTrue(status.usable());
    }

    @Test
    void freshTokenIsServedWithoutATokenCallUntilTheWindowOpens() {
        Token first = f.freshToken();
        f.at(REFRESH_AHEAD_FROM.minusMillis(1));

        assertSame(first, f.cache().token());
        assertSame(first, f.cache().refreshIfExpiring());
        assertEquals(1, f.client.calls());
        assertEquals(0, f.executor.queued());
        assertEquals(TokenState.FRESH, f.cache().status().state());
    }

    @Test
    void insideTheWindowCallersGetTheCurrentTokenAtOnceWhileExactlyOneBackgroundRefreshRuns() {
        Token first = f.freshToken();
        f.at(REFRESH_AHEAD_FROM);
        assertEquals(TokenState.REFRESH_AHEAD, f.cache().status().state());
        f.client.then(ok("at-2", "rt-2", 3600));

        assertSame(first, f.cache().token());
        assertSame(first, f.cache().token());
        assertSame(first, f.cache().token());
        assertEquals(1, f.client.calls(), "no caller made the call itself");

        f.executor.runTheOneQueued();

        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1"), f.client.sentRefreshTokens());
        assertEquals(TokenState.FRESH, f.cache().status().state());
        assertEquals(0, f.executor.queued());
    }

    @Test
    void refreshIfExpiringWaitsForTheRefreshInsideTheWindow() {
        f.freshToken();
        f.at(REFRESH_AHEAD_FROM.plusMinutes(1));
        f.client.then(ok("at-2", "rt-2", 3600));

        assertEquals("at-2", f.cache().refreshIfExpiring().getAccessToken());
        assertEquals(0, f.executor.queued());
    }

    @Test
    void atTheExpiryMarginCallersWaitForTheRefreshAndTheRotatedRefreshTokenIsSentNext() {
        f.freshToken();
        f.at(EXPIRY_MARGIN_FROM);
        assertEquals(TokenState.EXPIRED, f.cache().status().state());
        f.client.then(ok("at-2", "rt-2", 3600));

        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(0, f.executor.queued());

        f.at(EXPIRY_MARGIN_FROM.plus(LIFETIME));
        f.client.then(okKeepingRefreshToken("at-3", 3600));
        Token third = f.cache().token();

        assertEquals(List.of("rt-0", "rt-1", "rt-2"), f.client.sentRefreshTokens());
        assertEquals("rt-2", third.getRefreshToken(), "an answer without refresh_token keeps the one sent");
        assertEquals(3, f.cache().status().tokenCalls());
        assertEquals(3, f.cache().status().refreshes());
    }

    @Test
    void refreshAlwaysMakesATokenCallEvenForAFreshToken() {
        f.freshToken();
        f.client.then(ok("at-2", "rt-2", 3600));

        assertEquals("at-2", f.cache().refresh().getAccessToken());
        assertEquals(2, f.client.calls());
    }

    @Test
    void aSlowAnswerCountsTheLifetimeFromWhenTheRequestLeft() {
        f.storeRefreshToken("rt-0");
        f.client.then(ScriptedTokenClient.slow(Duration.ofSeconds(5), f.clock, ok("at-1", "rt-1", 3600)));

        Token token = f.cache().token();

        assertEquals(START.plus(LIFETIME), token.getExpiresAt());
        assertEquals(Duration.ofSeconds(5), f.observer.last().tokenCallDuration());
    }

    @Test
    void aBackgroundRefreshTheStoppingPoolRejectsIsNotRunByTheCaller() {
        Token first = f.freshToken();
        f.at(REFRESH_AHEAD_FROM);
        f.executor.rejectAll();
        f.client.then(ok("at-2", "rt-2", 3600));

        assertSame(first, f.cache().token(), "the caller is still served the current token");
        assertEquals(1, f.client.calls(), "no token call on the caller's thread");
        assertSame(first, f.cache().token(), "the next caller in the window tries to start one again, and is served");
        // once the token must be renewed, the caller waits for a refresh of its own, as always
        f.at(EXPIRY_MARGIN_FROM);
        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(2, f.client.calls());
    }

    @Test
    void aNewerRecordSavedByAnotherInstanceIsAdoptedWithoutATokenCall() {
        f.freshToken();
        f.at(EXPIRY_MARGIN_FROM);
        f.anotherInstanceSaves(token("at-other", "rt-other", f.clock.instant(), LIFETIME));

        assertEquals("at-other", f.cache().token().getAccessToken());
        assertEquals(1, f.client.calls());
        assertEquals(TokenState.FRESH, f.cache().status().state());

        f.at(EXPIRY_MARGIN_FROM.plus(EXPIRY_MARGIN_FROM));
        f.client.then(ok("at-2", "rt-2", 3600));
        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals("rt-other", f.client.request(2).get("refresh_token"));
    }

    @Test
    void aNewerRecordThatIsItselfDueIsRefreshedWithItsOwnRefreshToken() {
        f.freshToken();
        f.at(EXPIRY_MARGIN_FROM);
        f.anotherInstanceSaves(token("at-other", "rt-other", START, LIFETIME));
        f.client.then(ok("at-2", "rt-2", 3600));

        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-other"), f.client.sentRefreshTokens());
        assertEquals("at-2", f.stored().token().getAccessToken());
    }

    @Test
    void invalidateMakesTheNextCallerRefreshAndNeverTakesTheInvalidatedAccessTokenBack() {
        f.freshToken();
        f.cache().invalidate();
        assertEquals(TokenState.NO_TOKEN, f.cache().status().state());
        assertEquals(List.of("at-1/rt-1 -> -/rt-1"), f.observer.tokenChanges);
        // an instance that still held the bad token saves it again, with a newer version
        f.anotherInstanceSaves(f.stored().token());
        f.client.then(ok("at-2", "rt-2", 3600));

        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1"), f.client.sentRefreshTokens());
        assertFalse(f.observer.tokenChanges.stream().anyMatch(c -> c.endsWith("-> at-1/rt-1")),
                    f.observer.tokenChanges.toString());
    }

    @Test
    void invalidateBeforeTheFirstUseStillMakesTheNextCallerRefresh() {
        f.freshToken();
        // a second instance (or this one after a restart) that never handed out a token yet
        AccountFixture restarted = f.restartedOnTheSameStore();
        restarted.cache().invalidate();
        restarted.client.then(ok("at-2", "rt-2", 3600));

        assertEquals("at-2", restarted.cache().token().getAccessToken(), "the invalidated at-1 came back");
        assertEquals(List.of("rt-1"), restarted.client.sentRefreshTokens());
    }

    @Test
    void refreshIfCurrentRefreshesOnlyWhenTheRejectedTokenIsStillCurrent() {
        Token first = f.freshToken();

        assertSame(first, f.cache().refreshIfCurrent("at-from-long-ago"));
        assertEquals(1, f.client.calls());

        f.client.then(ok("at-2", "rt-2", 3600));
        assertEquals("at-2", f.cache().refreshIfCurrent("at-1").getAccessToken());
        assertEquals(2, f.client.calls());

        assertEquals("at-2", f.cache().refreshIfCurrent("at-1").getAccessToken(), "a late 401 for at-1");
        assertEquals(2, f.client.calls());
    }

    @Test
    void refreshIfExpiresWithinTouchesOnlyAnAccountThatIsDue() {
        f.freshToken();
        f.at(Duration.ofMinutes(30));

        assertFalse(f.cache().refreshIfExpiresWithin(Duration.ofMinutes(20)));
        assertEquals(1, f.client.calls());

        f.client.then(ok("at-2", "rt-2", 3600));
        assertTrue(f.cache().refreshIfExpiresWithin(Duration.ofMinutes(40)));
        assertEquals("at-2", f.cache().token().getAccessToken());
    }

    @Test
    void tokenChangesAreReportedInOrderFromLoadToRefresh() {
        f.storeRefreshToken("rt-0");
        f.client.then(ok("at-1", "rt-1", 3600));
        f.cache().token();

        assertEquals(List.of("none -> -/rt-0", "-/rt-0 -> at-1/rt-1"), f.observer.tokenChanges);
        TokenEvent refreshed = f.observer.last();
        assertEquals(PROVIDER, refreshed.provider());
        assertEquals(ACCOUNT, refreshed.account());
        assertEquals(START.plus(LIFETIME), refreshed.expiresAt());
        assertNull(refreshed.errorType());
    }

    @Test
    void aRefreshTokenNearingItsKnownEndIsWarnedAboutOnce() {
        f.withRefreshTokenLifetime(Duration.ofDays(30), Duration.ofDays(7));
        f.storeRefreshToken("rt-0");
        f.at(Duration.ofDays(24));
        f.client.then(okKeepingRefreshToken("at-1", 3600), okKeepingRefreshToken("at-2", 3600));

        f.cache().token();

        assertEquals(List.of(TokenEvent.Type.REFRESHED, TokenEvent.Type.REFRESH_TOKEN_EXPIRING), f.observer.types());
        AccountStatus status = f.cache().status();
        assertTrue(status.refreshTokenExpiring());
        assertEquals(START.plus(Duration.ofDays(30)), status.refreshTokenExpiresAt());
        assertEquals(0, status.failures());
        assertEquals("refresh_token_expiring", f.observer.last().errorType());

        f.at(Duration.ofDays(24).plus(EXPIRY_MARGIN_FROM));
        f.cache().token();
        assertEquals(List.of(TokenEvent.Type.REFRESHED, TokenEvent.Type.REFRESH_TOKEN_EXPIRING,
                             TokenEvent.Type.REFRESHED), f.observer.types());
    }

    @Test
    void aRotatedRefreshTokenStartsItsOwnLifetime() {
        f.withRefreshTokenLifetime(Duration.ofDays(30), Duration.ofDays(7));
        f.storeRefreshToken("rt-0");
        f.at(Duration.ofDays(24));
        f.client.then(ok("at-1", "rt-1", 3600));

        f.cache().token();

        Instant now = START.plus(Duration.ofDays(24));
        assertEquals(now.plus(Duration.ofDays(30)), f.cache().status().refreshTokenExpiresAt());
        assertFalse(f.cache().status().refreshTokenExpiring());
        assertEquals(List.of(TokenEvent.Type.REFRESHED), f.observer.types());
    }
}
