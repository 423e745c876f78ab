package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.util.List;

import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.RefreshTokenMissingException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.invalidGrant;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.json;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.unavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where a new token comes from: the stored refresh token, the configured one, or the fallback grant. */
@ExtendWith(QuietLog.class)
class AccountTokenCacheAcquisitionTest {

    private static final Duration EXPIRED = LIFETIME;

    private final AccountFixture f = new AccountFixture();

    @Test
    void theConfiguredRefreshTokenIsTriedOnceAfterTheStoredOneIsRefused() {
        f.storeRefreshToken("rt-stored");
        f.cache().offerBootstrapRefreshToken("rt-configured");
        f.client.then(invalidGrant(), ok("at-1", "rt-1", 3600));

        assertEquals("at-1", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-stored", "rt-configured"), f.client.sentRefreshTokens());
        assertEquals(2, f.cache().status().tokenCalls());
        assertEquals(List.of(TokenEvent.Type.REFRESHED), f.observer.types());

        // later refused again: the configured one was used up, so the account is dead after one call
        f.at(EXPIRED);
        f.client.then(invalidGrant());
        assertThrows(InvalidGrantException.class, () -> f.cache().token());
        assertEquals(List.of("rt-stored", "rt-configured", "rt-1"), f.client.sentRefreshTokens());
    }

    @Test
    void theConfiguredRefreshTokenIsUsedWhenTheStoreIsEmptyAndNotRetriedOnceRefused() {
        f.cache().offerBootstrapRefreshToken("rt-configured");
        f.client.then(invalidGrant());

        assertThrows(InvalidGrantException.class, () -> f.cache().token());
        assertThrows(InvalidGrantException.class, () -> f.cache().token());
        assertEquals(List.of("rt-configured"), f.client.sentRefreshTokens());
        assertEquals(TokenState.DEAD, f.cache().status().state());
    }

    @Test
    void bothRefusedWithoutFallbackMakesTheAccountDeadAfterTwoCalls() {
        f.storeRefreshToken("rt-stored");
        f.cache().offerBootstrapRefreshToken("rt-configured");
        f.client.then(invalidGrant(), invalidGrant());

        assertThrows(InvalidGrantException.class, () -> f.cache().token());
        f.at(Duration.ofDays(1));
        assertThrows(InvalidGrantException.class, () -> f.cache().token());
        assertEquals(List.of("rt-stored", "rt-configured"), f.client.sentRefreshTokens());
        assertEquals(List.of(TokenEvent.Type.INVALID_GRANT), f.observer.types(), "one refresh, one event");
    }

    @Test
    void theFallbackGrantReplacesARefusedRefreshToken() {
        f.withClientCredentialsFallback();
        f.freshToken();
        f.at(EXPIRED);
        f.client.then(invalidGrant(), ok("at-fallback", "rt-fallback", 3600));

        assertEquals("at-fallback", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1", "grant:client_credentials"), f.client.sentRefreshTokens());
        assertEquals("rt-fallback", f.stored().token().getRefreshToken());
        assertEquals(TokenState.FRESH, f.cache().status().state());
    }

    @Test
    void theFallbackGrantIsUsedWhenNoRefreshTokenIsKnown() {
        f.withClientCredentialsFallback();
        f.client.then(ok("at-1", "rt-1", 3600));

        assertEquals("at-1", f.cache().token().getAccessToken());
        assertEquals(List.of("grant:client_credentials"), f.client.sentRefreshTokens());
    }

    @Test
    void withoutAnyRefreshTokenOrFallbackNoCallIsMadeAndSupplyingOneStartsTheAccount() {
        assertThrows(RefreshTokenMissingException.class, () -> f.cache().token());
        assertEquals(0, f.client.calls());
        assertNotNull(f.cache().status().nextAttemptAt());

        f.cache().supplyRefreshToken("rt-given");
        f.client.then(ok("at-1", "rt-1", 3600));
        assertEquals("at-1", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-given"), f.client.sentRefreshTokens());
    }

    @Test
    void withAFallbackGrantARefusedRefreshTokenIsNotSentAgainWhenTheFallbackFailsAndIsRetried() {
        f.withClientCredentialsFallback();
        f.freshToken();
        f.at(EXPIRED);
        f.client.then(invalidGrant(), unavailable("30"));

        assertThrows(TokenEndpointUnavailableException.class, () -> f.cache().token());
        assertEquals(TokenState.FAILING, f.cache().status().state(), "failing, not dead: the fallback may work");

        f.toNextAttempt();
        f.client.then(ok("at-fallback", "rt-fallback", 3600));
        assertEquals("at-fallback", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-0", "rt-1", "grant:client_credentials", "grant:client_credentials"),
                     f.client.sentRefreshTokens());
    }

    @Test
    void aClientCredentialsAnswerWithoutARefreshTokenIsRenewedWithTheFallbackGrantAgain() {
        f.withClientCredentialsFallback();
        f.client.then(json(200, "{\"access_token\":\"at-1\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));
        assertNull(f.cache().token().getRefreshToken());

        f.at(EXPIRED);
        f.client.then(json(200, "{\"access_token\":\"at-2\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));
        assertEquals("at-2", f.cache().token().getAccessToken());
        assertEquals(List.of("grant:client_credentials", "grant:client_credentials"), f.client.sentRefreshTokens());
    }

    @Test
    void aTokenWithoutARefreshTokenIsPublishedWhateverTheRefreshTokenExpiryWarning() {
        // refreshTokenLifetime 1 day with the default 7-day warning: every refresh token is "expiring" at once
        f.withClientCredentialsFallback().withRefreshTokenLifetime(Duration.ofDays(1), Duration.ofDays(7));
        f.client.then(json(200, "{\"access_token\":\"at-1\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));

        assertEquals("at-1", f.cache().token().getAccessToken());
        assertEquals(TokenState.FRESH, f.cache().status().state());
        assertEquals(1, f.cache().status().tokenCalls());
        assertEquals(0, f.cache().status().failures());
        assertEquals(List.of(TokenEvent.Type.REFRESHED), f.observer.types());
    }

    @Test
    void aConfiguredRefreshTokenOfferedAfterTheFirstUseIsUsedByTheNextRefresh() {
        assertThrows(RefreshTokenMissingException.class, () -> f.cache().token());
        assertEquals(0, f.client.calls());

        f.cache().offerBootstrapRefreshToken("rt-configured");
        f.toNextAttempt();
        f.client.then(ok("at-1", "rt-1", 3600));

        assertEquals("at-1", f.cache().token().getAccessToken());
        assertEquals(List.of("rt-configured"), f.client.sentRefreshTokens());
        assertNotNull(f.stored());
    }
}
