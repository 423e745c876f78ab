package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.util.List;

import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenState;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.EXPIRY_MARGIN_FROM;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.connectionRefused;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.unusableWithRefreshToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens the provider issued are never lost: unsaved tokens are saved first, rotated ones are rescued. */
@ExtendWith(QuietLog.class)
class AccountTokenCachePersistenceTest {

    private final AccountFixture f = new AccountFixture();

    @Test
    void aTokenThatCouldNotBeSavedIsKeptInMemoryAndSavedBeforeTheNextTokenCall() {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(ok("at-2", "rt-2", 3600));
        f.store.failNextSaves(1);

        TokenStoreException failed = assertThrows(TokenStoreException.class, () -> f.cache().token());
        assertTrue(failed.getMessage().contains("kept in memory"), failed.getMessage());
        assertFalse(failed.getMessage().contains("rt-2"), "no token in the message");
        assertEquals("at-2", f.cache().state().unsaved().getAccessToken());
        assertEquals("rt-1", f.stored().token().getRefreshToken());
        assertEquals(TokenState.FAILING, f.cache().status().state());
        assertEquals("store", f.cache().status().lastErrorType());
        assertEquals(List.of(TokenEvent.Type.REFRESH_FAILED), f.observer.types());

        f.toNextAttempt();
        Token saved = f.cache().token();

        assertEquals("at-2", saved.getAccessToken());
        assertEquals(List.of("send rt-1", "save failed rt-2", "save rt-2"), f.journal);
        assertEquals("rt-2", f.stored().token().getRefreshToken());
        assertNull(f.cache().state().unsaved());
        assertEquals(TokenState.FRESH, f.cache().status().state());

        f.at(Duration.between(AccountFixture.START, saved.getExpiresAt()));
        f.client.then(ok("at-3", "rt-3", 3600));
        f.cache().token();
        assertEquals(List.of("send rt-1", "save failed rt-2", "save rt-2", "send rt-2", "save rt-3"), f.journal);
    }

    @Test
    void anUnsavedTokenIsRetriedUntilSavedWhileTheStillValidOldTokenIsServed() {
        f.freshToken();
        f.at(EXPIRY_MARGIN_FROM);
        f.client.then(ok("at-2", "rt-2", 3600));
        f.store.failNextSaves(1);

        Token served = f.cache().token();
        assertEquals("at-1", served.getAccessToken(), "the old token still works and the caller gets it");
        assertEquals("at-2", f.cache().state().unsaved().getAccessToken());

        f.toNextAttempt();
        f.store.failNextSaves(1);
        f.at(LIFETIME);
        assertThrows(TokenStoreException.class, () -> f.cache().token());
        f.toNextAttempt();
        assertEquals("at-2", f.cache().token().getAccessToken());

        assertEquals(List.of("send rt-1", "save failed rt-2", "save failed rt-2", "save rt-2"), f.journal);
        assertEquals(2, f.cache().status().tokenCalls(), "one call for the fresh token and one for at-2");
    }

    @Test
    void aRotatedRefreshTokenInAnUnusableAnswerIsSavedAndUsedForTheNextCall() {
        Token first = f.freshToken();
        f.at(EXPIRY_MARGIN_FROM);
        f.client.then(unusableWithRefreshToken("rt-rescued"));

        assertSame(first, f.cache().token(), "the old access token still works");
        assertEquals("rt-rescued", f.stored().token().getRefreshToken());
        assertEquals("at-1", f.stored().token().getAccessToken(), "the access token is kept");
        assertEquals("rt-rescued", f.cache().state().token().getRefreshToken());
        assertEquals(List.of(TokenEvent.Type.REFRESH_FAILED), f.observer.types());
        assertEquals("invalid_response", f.observer.last().errorType());

        f.toNextAttempt();
        f.client.then(ok("at-2", "rt-2", 3600));
        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1", "rt-rescued"), f.client.sentRefreshTokens());
    }

    @Test
    void aRescuedRefreshTokenIsKeptInMemoryWhenTheStoreFails() {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(unusableWithRefreshToken("rt-rescued"));
        f.store.failNextSaves(1);

        assertThrows(InvalidTokenResponseException.class, () -> f.cache().token());
        assertEquals("rt-1", f.stored().token().getRefreshToken());

        f.toNextAttempt();
        f.client.then(ok("at-2", "rt-2", 3600));
        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1", "rt-rescued"), f.client.sentRefreshTokens());
        assertEquals("rt-2", f.stored().token().getRefreshToken());
    }

    @Test
    void anUnusableAnswerRepeatingTheSentRefreshTokenRescuesNothing() {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(unusableWithRefreshToken("rt-1"));
        int savesBefore = f.store.saves.get();

        assertThrows(InvalidTokenResponseException.class, () -> f.cache().token());
        assertEquals(savesBefore, f.store.saves.get());
        assertEquals("rt-1", f.cache().state().token().getRefreshToken());
    }

    @Test
    void aFailedCallAfterAnUnsavedTokenNeverHappensBecauseTheSaveComesFirst() {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(ok("at-2", "rt-2", 3600), connectionRefused());
        f.store.failNextSaves(2);

        assertThrows(TokenStoreException.class, () -> f.cache().token());
        f.toNextAttempt();
        assertThrows(TokenStoreException.class, () -> f.cache().token());

        assertEquals(List.of("send rt-1", "save failed rt-2", "save failed rt-2"), f.journal);
        assertEquals(1, f.client.unansweredScript(), "the connection failure was never reached");
    }

    @Test
    void aRecordSavedByAnotherInstanceDuringOurCallIsOverwrittenByTheTokenTheServerJustIssuedUs() {
        f.freshToken();
        f.at(LIFETIME);
        f.client.then(request -> {
            f.anotherInstanceSaves(AccountFixture.token("at-other", "rt-other", f.clock.instant(), LIFETIME));
            return ok("at-2", "rt-2", 3600).answer(request);
        });

        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals("rt-2", f.stored().token().getRefreshToken());
        assertEquals(f.stored().version(), f.cache().state().storedVersion());
    }

    @Test
    void aStoreThatCannotBeReadFailsTheFirstCallerWithoutATokenCall() {
        f.storeRefreshToken("rt-0");
        f.store.failNextLoads(1);

        TokenStoreException failed = assertThrows(TokenStoreException.class, () -> f.cache().token());
        assertTrue(failed.getMessage().contains("cannot read the token from MemoryTokenStore"), failed.getMessage());
        assertEquals(0, f.client.calls());

        f.client.then(ok("at-1", "rt-1", 3600));
        assertEquals("at-1", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0"), f.client.sentRefreshTokens());
    }

    @Test
    void supplyRefreshTokenSavesItAndFailsLoudlyWhenTheStoreCannot() {
        f.freshToken();
        f.store.failNextSaves(1);

        assertThrows(TokenStoreException.class, () -> f.cache().supplyRefreshToken("rt-new"));
        assertEquals("at-1", f.cache().token().getAccessToken(), "the account is left as it was");

        f.cache().supplyRefreshToken("rt-new");
        assertEquals("rt-new", f.stored().token().getRefreshToken());
        assertNull(f.stored().token().getAccessToken());
    }
}
