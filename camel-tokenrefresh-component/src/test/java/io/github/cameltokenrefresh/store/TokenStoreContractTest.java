package io.github.cameltokenrefresh.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link TokenStore} must do; one subclass per store (and per database for the JDBC store). */
public abstract class TokenStoreContractTest {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected TokenStore store;

    /** A new, empty store. */
    protected abstract TokenStore createStore() throws Exception;

    /** Removes what {@link #createStore} made (a table, a directory). */
    protected void dropStore() throws Exception {
    }

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void tearDownStore() throws Exception {
        dropStore();
    }

    public static Token token(String access, String refresh) {
        return Token.builder().accessToken(access).refreshToken(refresh).tokenType("bearer").scope("read write")
                .issuedAt(T0).expiresAt(T0.plusSeconds(7200)).refreshTokenIssuedAt(T0.minusSeconds(60))
                .additionalField("account_id", "awtfn5jn").build();
    }

    @Test
    void anEmptyStoreHasNothing() {
        assertNull(store.load("p", "default"));
        assertEquals(List.of(), store.accounts("p"));
        store.delete("p", "default"); // nothing to delete: no error
        assertNull(store.load("p", "default"));
    }

    @Test
    void savesAndLoadsEveryFieldWithVersions() {
        assertEquals(1, store.save("p", "default", token("at-1", "rt-1"), 0).version());
        StoredToken loaded = store.load("p", "default");
        assertEquals(1, loaded.version());
        Token t = loaded.token();
        assertEquals("at-1", t.getAccessToken());
        assertEquals("rt-1", t.getRefreshToken());
        assertEquals("bearer", t.getTokenType());
        assertEquals("read write", t.getScope());
        assertEquals(T0, t.getIssuedAt());
        assertEquals(T0.plusSeconds(7200), t.getExpiresAt());
        assertEquals(T0.minusSeconds(60), t.getRefreshTokenIssuedAt());
        assertEquals("awtfn5jn", t.getAdditionalFields().get("account_id"));

        assertEquals(2, store.save("p", "default", token("at-2", "rt-2"), 1).version());
        assertEquals(3, store.save("p", "default", token("at-3", "rt-3"), 2).version());
        assertEquals(3, store.load("p", "default").version());
        assertEquals("rt-3", store.load("p", "default").token().getRefreshToken());
    }

    @Test
    void aStaleVersionIsRefusedAndReportsTheActualOne() {
        store.save("p", "a", token("at-1", "rt-1"), 0);
        store.save("p", "a", token("at-2", "rt-2"), 1);

        StaleTokenVersionException first = assertThrows(StaleTokenVersionException.class,
                                                        () -> store.save("p", "a", token("x", "x"), 0));
        assertEquals(0, first.getExpectedVersion());
        assertEquals(2, first.getActualVersion());
        StaleTokenVersionException behind = assertThrows(StaleTokenVersionException.class,
                                                         () -> store.save("p", "a", token("x", "x"), 1));
        assertEquals(2, behind.getActualVersion());
        StaleTokenVersionException ahead = assertThrows(StaleTokenVersionException.class,
                                                        () -> store.save("p", "b", token("x", "x"), 3));
        assertEquals(0, ahead.getActualVersion());
        assertEquals("rt-2", store.load("p", "a").token().getRefreshToken(), "a refused save writes nothing");
        assertNull(store.load("p", "b"));
    }

    @Test
    void deleteForgetsTheRecordAndTheNextSaveStartsAtOne() {
        store.save("p", "a", token("at-1", "rt-1"), 0);
        store.save("p", "a", token("at-2", "rt-2"), 1);
        store.save("p", "other", token("at-o", "rt-o"), 0);

        store.delete("p", "a");

        assertNull(store.load("p", "a"));
        assertEquals(List.of("other"), store.accounts("p"));
        assertThrows(StaleTokenVersionException.class, () -> store.save("p", "a", token("x", "x"), 2));
        assertEquals(1, store.save("p", "a", token("at-3", "rt-3"), 0).version());
        assertEquals("rt-3", store.load("p", "a").token().getRefreshToken());
        assertEquals("rt-o", store.load("p", "other").token().getRefreshToken());
    }

    @Test
    void accountsArePerProviderAndNamesAreKeptExactly() {
        List<String> names = List.of("default", "customer.42", "kunde ü/1", "../escape", "A", "a");
        for (String name : names) {
            store.save("partner", name, token("at-" + name, "rt-" + name), 0);
        }
        store.save("other", "x", token("at-x", "rt-x"), 0);

        assertEquals(new TreeSet<>(names), new TreeSet<>(store.accounts("partner")));
        assertEquals(List.of("x"), store.accounts("other"));
        for (String name : names) {
            assertEquals("rt-" + name, store.load("partner", name).token().getRefreshToken(), name);
        }
        assertNull(store.load("partner", "x"));
    }

    @Test
    void accountAttributesAndTheReportedRefreshTokenExpiryRoundTripAndChangingOneKeepsTheRefreshToken() {
        Token t = token("at-1", "rt-1").toBuilder().attribute("tenant", "contoso.onmicrosoft.com")
                .attribute("instanceUrl", "https://na1.my.example.com").refreshTokenExpiresAt(T0.plusSeconds(86_400))
                .build();
        store.save("p", "a", t, 0);
        Token loaded = store.load("p", "a").token();
        assertEquals(Map.of("tenant", "contoso.onmicrosoft.com", "instanceUrl", "https://na1.my.example.com"),
                     loaded.getAttributes());
        assertEquals(T0.plusSeconds(86_400), loaded.getRefreshTokenExpiresAt());

        store.save("p", "a", loaded.toBuilder().attribute("tenant", "fabrikam.onmicrosoft.com").build(), 1);
        Token changed = store.load("p", "a").token();
        assertEquals("fabrikam.onmicrosoft.com", changed.getAttribute("tenant"));
        assertEquals("https://na1.my.example.com", changed.getAttribute("instanceUrl"));
        assertEquals("rt-1", changed.getRefreshToken());
        assertEquals("at-1", changed.getAccessToken());
    }

    @Test
    void aRecordWithoutAttributesHasNone() {
        store.save("p", "plain", token("at-1", "rt-1"), 0);
        Token loaded = store.load("p", "plain").token();
        assertEquals(Map.of(), loaded.getAttributes());
        assertNull(loaded.getRefreshTokenExpiresAt());
    }

    @Test
    void aTokenWithoutAccessTokenRoundTrips() {
        store.save("p", "seeded", Token.ofRefreshToken("rt-seed", T0), 0);
        Token t = store.load("p", "seeded").token();
        assertNull(t.getAccessToken());
        assertNull(t.getExpiresAt());
        assertEquals("rt-seed", t.getRefreshToken());
    }

    @Test
    void concurrentSavesOfDifferentAccountsAllLand() throws Exception {
        int threads = 8;
        int accountsPerThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int a = 0; a < accountsPerThread; a++) {
                        String account = "t" + thread + "-a" + a;
                        for (int v = 0; v < 3; v++) {
                            store.save("p", account, token("at-" + account + "-" + v, "rt-" + account + "-" + v), v);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertEquals(threads * accountsPerThread, store.accounts("p").size());
        for (int t = 0; t < threads; t++) {
            for (int a = 0; a < accountsPerThread; a++) {
                StoredToken record = store.load("p", "t" + t + "-a" + a);
                assertEquals(3, record.version());
                assertEquals("rt-t" + t + "-a" + a + "-2", record.token().getRefreshToken());
            }
        }
    }

    /** Every round, all threads save on the same version at once: exactly one wins, the others see its version. */
    @Test
    void concurrentSavesOfOneAccountHaveExactlyOneWinnerPerVersion() throws Exception {
        int threads = 6;
        int rounds = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                long expected = round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String rt = "rt-" + round + "-" + t;
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            assertEquals(expected + 1, store.save("p", "shared", token("at", rt), expected).version());
                            return rt;
                        } catch (StaleTokenVersionException e) {
                            assertEquals(expected + 1, e.getActualVersion());
                            return null;
                        }
                    }));
                }
                start.countDown();
                Set<String> winners = new TreeSet<>();
                for (Future<String> f : results) {
                    String winner = f.get(60, TimeUnit.SECONDS);
                    if (winner != null) {
                        winners.add(winner);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + " winners " + winners);
                StoredToken stored = store.load("p", "shared");
                assertEquals(expected + 1, stored.version());
                assertEquals(winners.iterator().next(), stored.token().getRefreshToken(), "the winner's token is stored");
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertTrue(store.accounts("p").contains("shared"));
    }
}
