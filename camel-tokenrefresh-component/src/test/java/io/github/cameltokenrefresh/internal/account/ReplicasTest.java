package io.github.cameltokenrefresh.internal.account;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.ACCOUNT;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.PROVIDER;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.START;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances sharing a store that offers a refresh lease, as replicas sharing a database do: only the lease
 * holder sends the refresh token; the other adopts its result; a refused refresh token is refused for both; a holder
 * whose lease was taken over never overwrites its successor.
 */
@ExtendWith(QuietLog.class)
class ReplicasTest {

    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final MutableClock clock = new MutableClock(START);
    private final MutableClock databaseClock = new MutableClock(START);
    private final SharedLeaseStore store = new SharedLeaseStore(databaseClock);
    /** The provider's one token endpoint, which both replicas call. */
    private final ScriptedTokenClient endpoint = new ScriptedTokenClient(journal);

    private AccountTokenCache replica() {
        TokenRequestDialect dialect = new TokenRequestDialect(URI.create("https://auth.example/token"),
                BodyEncoding.form, "refresh_token", "grant_type", "refresh_token", GrantTypeLocation.body,
                ClientAuthentication.basic, Map.of(), Map.of());
        TokenAcquisition acquisition = new TokenAcquisition(AccountFixture.tokenEndpoint(dialect, endpoint, clock,
                AccountFixture.policy(null, Duration.ZERO)), null);
        TokenPersistence persistence = new TokenPersistence(PROVIDER, store, clock, Duration.ofSeconds(2),
                                                            Duration.ofSeconds(1));
        return new AccountTokenCache(ACCOUNT, new AccountEnvironment(PROVIDER, AccountFixture.policy(null, Duration.ZERO),
                clock, Runnable::run, acquisition, persistence, new AccountFixture.RecordingObserver()));
    }

    private void seed(String refreshToken) {
        store.save(PROVIDER, ACCOUNT, Token.ofRefreshToken(refreshToken, START), 0);
    }

    @Test
    void whileOneReplicaRefreshesTheOtherWaitsAndAdoptsItsTokenWithoutATokenCall() throws Exception {
        seed("rt-0");
        AccountTokenCache a = replica();
        AccountTokenCache b = replica();
        endpoint.then(ScriptedTokenClient.ok("at-1", "rt-1", LIFETIME.toSeconds()));
        ScriptedTokenClient.Hold held = endpoint.hold(1);

        CompletableFuture<Token> first = CompletableFuture.supplyAsync(a::token);
        held.awaitEntered(); // a holds the lease and its token call is in flight
        CompletableFuture<Token> second = CompletableFuture.supplyAsync(b::token);
        // b found the lease held and waits (its status says so) before a's call completes
        await().atMost(Duration.ofSeconds(10)).until(() -> b.status().leaseWaits() == 1);
        held.release();

        assertEquals("at-1", first.get(10, TimeUnit.SECONDS).getAccessToken());
        assertEquals("at-1", second.get(10, TimeUnit.SECONDS).getAccessToken(), "b adopted a's token");
        assertEquals(1, endpoint.calls(), "one token call for both replicas");
        assertEquals(List.of("rt-0"), endpoint.sentRefreshTokens());
        assertEquals("rt-1", store.load(PROVIDER, ACCOUNT).token().getRefreshToken());
        assertNull(store.holder(PROVIDER, ACCOUNT), "the lease was released by the save");
        assertEquals(1, b.status().adoptedRefreshes(), "monitoring sees the adoption");
        assertEquals(0, a.status().adoptedRefreshes());
    }

    @Test
    void aRefreshTokenRefusedForOneReplicaIsNeverSentByTheOther() {
        seed("rt-0");
        AccountTokenCache a = replica();
        AccountTokenCache b = replica();
        endpoint.then(ScriptedTokenClient.invalidGrant());

        assertThrows(InvalidGrantException.class, a::token);
        assertEquals(TokenPersistence.sha256("rt-0"), store.deadSha256(PROVIDER, ACCOUNT), "a hash, never the token");

        InvalidGrantException refused = assertThrows(InvalidGrantException.class, b::token);
        assertTrue(refused.getMessage().contains("re-authorize"), refused.getMessage());
        assertEquals(1, endpoint.calls(), "the dead refresh token went out once, in all");
    }

    @Test
    void aHolderWhoseLeaseWasTakenOverNeverOverwritesItsSuccessorsSave() throws Exception {
        seed("rt-0");
        AccountTokenCache a = replica();
        AccountTokenCache b = replica();
        endpoint.then(ScriptedTokenClient.ok("at-a", "rt-a", LIFETIME.toSeconds()),
                      ScriptedTokenClient.ok("at-b", "rt-b", LIFETIME.toSeconds()));
        ScriptedTokenClient.Hold held = endpoint.hold(1);

        CompletableFuture<Token> stale = CompletableFuture.supplyAsync(a::token);
        held.awaitEntered();
        // a's call outlives its lease (2 s hold + 1 s grace by the database's clock): b takes over and refreshes
        databaseClock.advance(Duration.ofSeconds(4));
        assertEquals("at-b", b.token().getAccessToken());
        assertEquals(1, b.status().interruptedLeases(), "b took over a lease never released");
        held.release();

        Exception lost = assertThrows(Exception.class, () -> stale.get(10, TimeUnit.SECONDS));
        assertTrue(lost.getCause() instanceof TokenStoreException && lost.getCause().getMessage().contains("taken over"),
                   String.valueOf(lost.getCause()));
        StoredToken stored = store.load(PROVIDER, ACCOUNT);
        assertEquals("rt-b", stored.token().getRefreshToken(), "the successor's save stands");
        assertNotNull(a.state().unsaved(), "a keeps its token in memory rather than overwrite");

        // a's next refresh (after its backoff) finds the successor's newer record and adopts it: no third call
        clock.advance(Duration.ofMinutes(1));
        assertEquals("at-b", a.refresh().getAccessToken());
        assertNull(a.state().unsaved());
        assertEquals(2, endpoint.calls());
    }

    @Test
    void whileTheDatabaseIsDownValidTokensAreServedAndATokenObtainedJustBeforeIsSavedFirstWhenItReturns() {
        seed("rt-0");
        AccountTokenCache a = replica();
        endpoint.then(ScriptedTokenClient.ok("at-1", "rt-1", LIFETIME.toSeconds()),
                      ScriptedTokenClient.ok("at-2", "rt-2", LIFETIME.toSeconds()));
        assertEquals("at-1", a.token().getAccessToken());

        // down: a token in its refresh-ahead window is still served (its background refresh cannot take the lease)
        store.down = true;
        clock.advance(Duration.ofMinutes(56));
        assertEquals("at-1", a.token().getAccessToken());
        assertEquals(1, endpoint.calls(), "no refresh without the lease");
        // expired: a typed, retriable failure that says why
        clock.advance(Duration.ofMinutes(10));
        TokenRefreshException refused = assertThrows(TokenStoreException.class, a::token);
        assertTrue(refused.isRetriable(), refused.getMessage());
        assertTrue(refused.getMessage().contains("cannot take the refresh lease") && refused.getMessage()
                .contains("no refresh without it"), refused.getMessage());

        // back for the token call, gone again for the save: the rotated token stays in memory...
        store.down = false;
        clock.advance(Duration.ofMinutes(10));
        store.failNextSave = true;
        assertThrows(TokenStoreException.class, a::refresh);
        assertEquals("rt-2", a.state().unsaved().getRefreshToken());
        // ...and is saved first, without a token call, once the database answers again
        clock.advance(Duration.ofMinutes(10));
        assertEquals("at-2", a.refresh().getAccessToken());
        assertEquals(2, endpoint.calls());
        assertEquals("rt-2", store.load(PROVIDER, ACCOUNT).token().getRefreshToken());
    }
}
