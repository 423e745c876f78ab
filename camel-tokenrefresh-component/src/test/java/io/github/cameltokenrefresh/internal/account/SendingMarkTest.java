package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cameltokenrefresh.internal.ClockDrivenWait;
import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.ACCOUNT;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.LIFETIME;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.PROVIDER;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.START;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A refresh marks its lease as sending (renewed, and the store told the refresh token leaves) as the request leaves,
 * after its rate-limit permit: a holder that dies while it waits for a permit has spent nothing, so its successor
 * sends the stored refresh token, even with {@code spentRefreshToken=markDead}, instead of killing the account. The
 * provider's time is a {@link MutableClock} that releases permits; the store's is another, which ends leases.
 */
@ExtendWith(QuietLog.class)
class SendingMarkTest {

    private static final String OTHER = "globex";
    private static final Duration TTL = Duration.ofSeconds(4);

    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final MutableClock clock = new MutableClock(START);
    private final ClockDrivenWait clockWait = new ClockDrivenWait(clock);
    private final MutableClock databaseClock = new MutableClock(START);
    /** Renews leases and marks them as sending, as JdbcTokenStore does; spentRefreshToken=markDead. */
    private final SharedLeaseStore store = new SharedLeaseStore(databaseClock, true, true, journal);
    private final ScriptedTokenClient endpoint = new ScriptedTokenClient(journal);
    /** One permit every 10 s: a refresh right after another waits for its permit (a caller may wait 10 s). */
    private final TokenCallRateLimit rateLimit = new TokenCallRateLimit(PROVIDER, 0.1, clock, clockWait);
    private final List<TokenPersistence> persistences = new ArrayList<>();
    private final AtomicReference<Thread> holderThread = new AtomicReference<>();

    private AccountTokenCache replica(String account, TokenCallRateLimit limit) {
        RefreshPolicy policy = AccountFixture.policy(null, Duration.ZERO);
        TokenAcquisition acquisition = new TokenAcquisition(AccountFixture.tokenEndpoint(AccountFixture.dialect(),
                endpoint, clock, policy, limit), null);
        // background renewals an hour apart: a lease's end moves only by a markSending or the store's clock
        TokenPersistence persistence = new TokenPersistence(PROVIDER, store, clock, Duration.ofMinutes(1),
                                                            Duration.ZERO, TTL, Duration.ofHours(1));
        persistences.add(persistence);
        return new AccountTokenCache(account, new AccountEnvironment(PROVIDER, policy, clock, Runnable::run,
                acquisition, persistence, new AccountFixture.RecordingObserver()));
    }

    @BeforeEach
    void twoAccountsNeedingARefresh() {
        store.save(PROVIDER, ACCOUNT, Token.ofRefreshToken("rt-0", START), 0);
        store.save(PROVIDER, OTHER, Token.ofRefreshToken("rt-g0", START), 0);
    }

    @AfterEach
    void stopRenewals() {
        persistences.forEach(TokenPersistence::close);
    }

    /** Another account's refresh takes the permit of now; then the holder's refresh waits for the next one. */
    private CompletableFuture<Token> holderWaitingForItsPermit() {
        endpoint.then(ok("at-g1", "rt-g1", LIFETIME.toSeconds()));
        replica(OTHER, rateLimit).token();
        AccountTokenCache holder = replica(ACCOUNT, rateLimit);
        CompletableFuture<Token> waiting = CompletableFuture.supplyAsync(() -> {
            holderThread.set(Thread.currentThread());
            return holder.token();
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> holderThread.get() != null && clockWait.waiting(holderThread.get()));
        assertNotNull(store.holder(PROVIDER, ACCOUNT), "the holder took its lease before waiting for the permit");
        assertFalse(journal.contains("markSending " + ACCOUNT), "not marked while it waits: " + journal);
        assertFalse(store.sending(PROVIDER, ACCOUNT));
        return waiting;
    }

    @Test
    void theLeaseIsMarkedAsSendingAfterThePermitRightBeforeTheRequestLeaves() throws Exception {
        CompletableFuture<Token> waiting = holderWaitingForItsPermit();
        endpoint.then(ok("at-1", "rt-1", LIFETIME.toSeconds()));
        ScriptedTokenClient.Hold onTheWire = endpoint.hold(2);

        clockWait.advance(Duration.ofSeconds(10)); // the holder's permit
        onTheWire.awaitEntered();
        assertTrue(store.sending(PROVIDER, ACCOUNT), "a holder dying now would leave a spent refresh token");
        onTheWire.release();

        assertEquals("at-1", waiting.get(10, TimeUnit.SECONDS).getAccessToken());
        assertEquals(List.of("markSending " + OTHER, "send rt-g0", "markSending " + ACCOUNT, "send rt-0"), journal);
        assertFalse(store.sending(PROVIDER, ACCOUNT), "saved: nothing spent is left");
    }

    @Test
    void aHolderThatDiesWaitingForItsPermitHasSpentNothingAndItsSuccessorRefreshes() throws Exception {
        CompletableFuture<Token> waiting = holderWaitingForItsPermit();

        // the holder is as good as dead: its lease ends one TTL later and another replica takes it over
        databaseClock.advance(TTL.plusSeconds(1));
        endpoint.then(ok("at-1", "rt-1", LIFETIME.toSeconds()));
        AccountTokenCache successor = replica(ACCOUNT, TokenCallRateLimit.NONE);
        assertEquals("at-1", successor.token().getAccessToken(), "markDead did not kill an account nobody spent");
        assertEquals(1, successor.status().interruptedLeases());

        // the holder's permit comes after all: its lease is gone, so nothing leaves
        clockWait.advance(Duration.ofSeconds(10));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        TokenStoreException lost = assertInstanceOf(TokenStoreException.class, failed.getCause());
        assertTrue(lost.getMessage().contains("no refresh token was sent"), lost.getMessage());
        assertEquals(List.of("rt-g0", "rt-0"), endpoint.sentRefreshTokens(), "rt-0 sent once, by the successor");
        assertEquals("rt-1", store.load(PROVIDER, ACCOUNT).token().getRefreshToken());
    }
}
