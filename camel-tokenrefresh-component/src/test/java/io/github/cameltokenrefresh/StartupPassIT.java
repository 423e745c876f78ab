package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up with many stored accounts: the routes take traffic while the start-up pass still lists the store, the pass
 * brings into memory only the accounts it refreshes, and the store's permission check runs outside the registry's
 * lock, so other providers start meanwhile.
 */
class StartupPassIT extends TokenServerTestSupport {

    private final CountDownLatch listing = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** A store whose listing (the start-up pass's walk) blocks until the test lets it go. */
    private final MemoryTokenStore store = new MemoryTokenStore() {
        @Override
        public List<String> accounts(String provider) {
            listing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.accounts(provider);
        }
    };

    @AfterEach
    void letGo() {
        release.countDown();
    }

    @Test
    void theFirstExchangeIsServedWhileTheStartupPassStillListsTheStore() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", "s").addRefreshToken("rt-due")
                .expiresIn(3600L);
        Instant now = Instant.now();
        store.save("p", "fresh", token("at-fresh", "rt-fresh", now.plus(Duration.ofHours(1))), 0);
        store.save("p", "due", token("at-due", "rt-due", now.plus(Duration.ofMinutes(2))), 0);
        for (int i = 0; i < 3; i++) {
            store.save("p", "idle-" + i, token("at-idle-" + i, "rt-idle-" + i, now.plus(Duration.ofHours(1))), 0);
        }
        context = TestContexts.context(storeDir);
        TestContexts.component(context).getConfiguration().setStore(store);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                      + "&clientId=c&clientSecret=s&refreshOnStart=true"
                                                      + "&refreshWindow=10m&account=fresh");
        CompletableFuture<Void> started = CompletableFuture.runAsync(context::start);
        await().until(started::isDone); // the route starts although the listing blocks
        started.join();
        assertTrue(listing.await(10, TimeUnit.SECONDS), "the start-up pass lists the store");

        String header = context.createProducerTemplate().request("direct:call", e -> {
        }).getMessage().getHeader("Authorization", String.class);

        assertEquals("Bearer at-fresh", header, "served from the store while the pass waits for its listing");
        assertEquals(0, server.tokenCalls(), "the due account is not refreshed yet: the pass is still listing");
        Provider provider = (Provider) TestContexts.component(context).tokens("p");
        assertFalse(provider.startupPass().isDone());

        release.countDown();
        await().until(() -> provider.startupPass().isDone());
        assertEquals(1, server.tokenCalls(), "the start-up pass refreshed the one due account");
        AccountStatus due = provider.status("due");
        assertTrue(due.expiresAt().isAfter(now.plus(Duration.ofMinutes(30))), due.toString());
        assertEquals(List.of("due", "fresh"), provider.statuses().stream().map(AccountStatus::account).toList(),
                     "accounts that were not due stay in the store, not in memory");
    }

    @Test
    void aSecondProviderStartsWhileTheFirstOnesStoreCheckIsBlocked() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", "s");
        context = TestContexts.context(storeDir);
        TokenRefreshComponent component = TestContexts.component(context);
        component.getConfiguration().setTokenUrl(server.tokenUrl());
        component.getConfiguration().setClientId("c");
        component.getConfiguration().setClientSecret("s");
        context.start();
        CountDownLatch checking = new CountDownLatch(1);
        component.registry().permissionCheck((FileTokenStore fileStore, String provider) -> {
            if (provider.equals("slow")) {
                checking.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return fileStore.findExposedFiles(provider);
        });

        CompletableFuture<Object> slow = CompletableFuture.supplyAsync(() -> component.tokens("slow"));
        assertTrue(checking.await(10, TimeUnit.SECONDS), "the first provider's store check runs");
        CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> component.tokens("other"));

        await().until(other::isDone);
        assertEquals("other", ((Provider) other.join()).name(), "created while the first one's check is blocked");
        assertFalse(slow.isDone());
        release.countDown();
        await().until(slow::isDone);
        assertEquals("slow", ((Provider) slow.join()).name());
        assertEquals(List.of("other", "slow"), component.getProviders().keySet().stream().sorted().toList());
    }

    static Token token(String access, String refresh, Instant expires) {
        return Token.builder().accessToken(access).refreshToken(refresh).tokenType("Bearer")
                .issuedAt(expires.minus(Duration.ofHours(1))).expiresAt(expires).build();
    }
}
