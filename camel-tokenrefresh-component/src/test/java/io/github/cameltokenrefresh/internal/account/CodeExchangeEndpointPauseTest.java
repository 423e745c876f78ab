package io.github.cameltokenrefresh.internal.account;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.crypto.spec.SecretKeySpec;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Authorization;
import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.authorize.AuthorizationCodeFlow;
import io.github.cameltokenrefresh.internal.authorize.CallbackResult;
import io.github.cameltokenrefresh.internal.call.TokenEndpoint;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.PROVIDER;
import static io.github.cameltokenrefresh.internal.account.AccountFixture.START;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.ok;
import static io.github.cameltokenrefresh.internal.account.ScriptedTokenClient.unavailable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorization-code exchange goes the provider's one way to the token endpoint: it is not sent while an account's
 * 429/503 pauses the endpoint, it is the probe when the pause is over (the accounts wait for its answer), and it waits
 * for an account's probe like the accounts do. A scripted endpoint and a clock moved by hand; no socket.
 */
@ExtendWith(QuietLog.class)
class CodeExchangeEndpointPauseTest {

    private final MutableClock clock = new MutableClock(START);
    private final ScriptedTokenClient client = new ScriptedTokenClient(Collections.synchronizedList(new ArrayList<>()));
    private final MemoryTokenStore store = new MemoryTokenStore();
    private final RefreshPolicy policy = AccountFixture.policy(null, Duration.ZERO);
    private final TokenEndpoint endpoint = AccountFixture.tokenEndpoint(new TokenRequestDialect(
            URI.create("https://auth.example/token"), BodyEncoding.form, "refresh_token", "grant_type", "refresh_token",
            GrantTypeLocation.body, ClientAuthentication.basic, Map.of(), Map.of()), client, clock, policy);
    private final AccountEnvironment env = new AccountEnvironment(PROVIDER, policy, clock, Runnable::run,
            new TokenAcquisition(endpoint, null), new TokenPersistence(PROVIDER, store),
            new AccountFixture.RecordingObserver());
    private final Map<String, AccountTokenCache> accounts = new ConcurrentHashMap<>();
    private final AuthorizationCodeFlow flow = new AuthorizationCodeFlow(new Authorization(
            URI.create("https://auth.example/authorize"), URI.create("https://app.example/callback"), null, true,
            new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
            Duration.ofMinutes(10)), new ClientCredentials("client-1", "secret-1", null), endpoint, clock,
            this::account, event -> {
            });
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void theCodeExchangeIsNotSentWhileAnAccountsTroublePausesTheEndpoint() {
        pauseTheEndpointWithA503();

        CallbackResult refused = exchange("new");
        assertEquals(503, refused.status());
        assertTrue(refused.detail().contains("paused"), refused.detail());
        assertEquals(1, client.calls(), "no code exchange was sent during the pause");

        toTheEndOfThePause();
        client.then(ok("at-new", "rt-new", 3600));
        assertEquals(200, exchange("new").status());
        assertEquals(2, client.calls());
        assertEquals("authorization_code", client.request(2).get("grant_type"));
        assertEquals("rt-new", store.load(PROVIDER, "new").token().getRefreshToken());
    }

    @Test
    void aCodeExchangeAfterThePauseIsTheProbeAndTheAccountsWaitForItsAnswer() throws Exception {
        pauseTheEndpointWithA503();
        toTheEndOfThePause();
        client.then(ok("at-new", "rt-new", 3600), ok("at-2", "rt-2", 3600));
        ScriptedTokenClient.Hold probe = client.hold(2);

        CompletableFuture<CallbackResult> exchanged = inThread(() -> exchange("new"));
        probe.awaitEntered();
        CompletableFuture<Token> refreshed = inThread(() -> account("acme").refresh());
        awaitWaitingForTheProbe(threads.get(1));
        assertEquals(2, client.calls(), "the account sends nothing while the code exchange probes");

        probe.release();
        assertEquals(200, exchanged.get(10, TimeUnit.SECONDS).status());
        assertEquals("at-2", refreshed.get(10, TimeUnit.SECONDS).getAccessToken(), "the endpoint answered: it goes");
        assertEquals(3, client.calls());
    }

    @Test
    void aCodeExchangeWaitsForAnAccountsProbeAndIsRefusedWhenTheEndpointFailsAgain() throws Exception {
        pauseTheEndpointWithA503();
        toTheEndOfThePause();
        client.then(unavailable("60"));
        ScriptedTokenClient.Hold probe = client.hold(2);

        CompletableFuture<Token> refreshed = inThread(() -> account("acme").refresh());
        probe.awaitEntered();
        CompletableFuture<CallbackResult> exchanged = inThread(() -> exchange("new"));
        awaitWaitingForTheProbe(threads.get(1));

        probe.release();
        CallbackResult refused = exchanged.get(10, TimeUnit.SECONDS);
        assertEquals(503, refused.status(), "paused again by the probe's answer");
        assertTrue(refused.detail().contains("paused"), refused.detail());
        assertEquals(2, client.calls(), "the code exchange was never sent");
        // the probe's own refresh may still be recording its failure when the exchange answers: wait for it
        assertThrows(ExecutionException.class, () -> refreshed.get(10, TimeUnit.SECONDS));
    }

    /** An account's refresh is answered 503 with Retry-After 30: the whole endpoint pauses. */
    private void pauseTheEndpointWithA503() {
        store.save(PROVIDER, "acme", Token.ofRefreshToken("rt-1", START), 0);
        client.then(unavailable("30"));
        assertThrows(TokenRefreshException.class, () -> account("acme").refresh());
        assertEquals(START.plusSeconds(30), endpoint.backoff().pausedUntil(clock.millis()));
    }

    private void toTheEndOfThePause() {
        clock.advance(Duration.ofSeconds(30));
    }

    private CallbackResult exchange(String account) {
        String query = URI.create(flow.authorizationUrl(account)).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("state=")) {
                return flow.callback("code-" + account, URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8),
                                     null);
            }
        }
        throw new AssertionError("no state in the link");
    }

    private AccountTokenCache account(String name) {
        return accounts.computeIfAbsent(name, n -> new AccountTokenCache(n, env));
    }

    private <T> CompletableFuture<T> inThread(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "token-call-" + threads.size());
        threads.add(thread);
        thread.start();
        return result;
    }

    /** The probe's others wait on the endpoint's pause with a timeout (the probe may never report). */
    private static void awaitWaitingForTheProbe(Thread thread) {
        await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
    }
}
