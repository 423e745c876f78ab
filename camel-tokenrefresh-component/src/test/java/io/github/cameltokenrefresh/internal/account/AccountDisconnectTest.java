package io.github.cameltokenrefresh.internal.account;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.internal.call.TokenRevocation;
import io.github.cameltokenrefresh.internal.call.TokenRevocation.Outcome;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.token.AccountDisconnectedException;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.json;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operation disconnect on one account (RFC 7009): the newest refresh token revoked with the client's authentication,
 * the record deleted, tokens refused until a token is saved again; another instance sharing the store notices the
 * record gone at its next refresh and never sends its refresh token again.
 */
@ExtendWith(QuietLog.class)
class AccountDisconnectTest {

    private final AccountFixture f = new AccountFixture();
    private final List<String> revocationJournal = new ArrayList<>();
    private final ScriptedTokenClient revocationEndpoint = new ScriptedTokenClient(revocationJournal);

    private TokenRevocation revocation() {
        return new TokenRevocation(AccountFixture.PROVIDER, URI.create("https://auth.example/revoke"),
                revocationEndpoint, ClientAuthenticator.of(ClientAuthentication.basic,
                        new ClientCredentials("client-1", "secret-1", null)));
    }

    @Test
    void revokesTheRefreshTokenDeletesTheRecordAndRefusesTokensUntilOnboardedAgain() {
        f.freshToken();
        int tokenCalls = f.client.calls();
        revocationEndpoint.then(json(200, ""));

        assertEquals(Outcome.REVOKED, f.cache().disconnect(revocation()));

        assertEquals("rt-1", revocationEndpoint.request(1).get("token"));
        assertEquals("refresh_token", revocationEndpoint.request(1).get("token_type_hint"));
        assertNull(f.stored(), "the record is deleted");
        AccountDisconnectedException refused = assertThrows(AccountDisconnectedException.class, () -> f.cache().token());
        assertInstanceOf(InvalidGrantException.class, refused, "handled like a dead refresh token: re-authorize");
        assertEquals("disconnected", refused.getErrorType());
        assertFalse(refused.getMessage().contains("rt-1") || refused.getMessage().contains("at-1"));
        assertThrows(AccountDisconnectedException.class, () -> f.cache().refresh());
        assertEquals(TokenState.DEAD, f.cache().status().state());
        assertEquals(tokenCalls, f.client.calls(), "no token call for a disconnected account");
        assertEquals(List.of(TokenEvent.Type.DISCONNECTED), f.observer.types());

        f.cache().supplyRefreshToken("rt-new");
        f.client.then(ok("at-2", "rt-2", LIFETIME.toSeconds()));
        assertEquals("at-2", f.cache().token().getAccessToken(), "onboarded again: tokens flow");
    }

    @Test
    void revokesTheNewestRefreshTokenAnotherInstanceStored() {
        f.freshToken();
        f.anotherInstanceSaves(AccountFixture.token("at-9", "rt-9", f.clock.instant(), LIFETIME));
        revocationEndpoint.then(json(200, ""));

        f.cache().disconnect(revocation());

        assertEquals("rt-9", revocationEndpoint.request(1).get("token"));
    }

    @Test
    void aRefusedRevocationKeepsTheAccountAsItWasAndNamesNoSecret() {
        Token held = f.freshToken();
        revocationEndpoint.then(json(503, "{\"error\":\"temporarily_unavailable\"}"));

        TokenRefreshException failed = assertThrows(TokenRefreshException.class,
                                                     () -> f.cache().disconnect(revocation()));

        assertTrue(failed.getMessage().contains("HTTP 503") && failed.getMessage().contains("temporarily_unavailable"),
                   failed.getMessage());
        assertFalse(failed.getMessage().contains("rt-1") || failed.getMessage().contains("secret-1"));
        assertNotNull(f.stored(), "nothing deleted: disconnect again");
        assertEquals(held.getAccessToken(), f.cache().token().getAccessToken());
    }

    @Test
    void withoutARevocationEndpointItDeletesAndSaysSo() {
        f.freshToken();
        TokenRevocation none = new TokenRevocation(AccountFixture.PROVIDER, null, null, null);

        assertEquals(Outcome.NO_ENDPOINT, f.cache().disconnect(none));

        assertNull(f.stored());
        assertThrows(AccountDisconnectedException.class, () -> f.cache().token());
        assertEquals(0, revocationEndpoint.calls());
    }

    @Test
    void anotherInstanceFindsTheRecordGoneAtItsNextRefreshAndNeverSendsItsRefreshToken() {
        f.freshToken();
        AccountFixture replica = f.restartedOnTheSameStore();
        assertEquals("at-1", replica.cache().token().getAccessToken(), "the replica read the record");
        replica.observer.clear();
        revocationEndpoint.then(json(200, ""));
        f.cache().disconnect(revocation());

        replica.at(AccountFixture.EXPIRY_MARGIN_FROM);
        assertThrows(AccountDisconnectedException.class, () -> replica.cache().token());

        assertEquals(0, replica.client.calls(), "the replica sent nothing");
        assertThrows(AccountDisconnectedException.class, () -> replica.cache().token());
        assertEquals(List.of(TokenEvent.Type.DISCONNECTED), replica.observer.types());
        assertNull(replica.stored(), "and saved nothing");
    }
}
