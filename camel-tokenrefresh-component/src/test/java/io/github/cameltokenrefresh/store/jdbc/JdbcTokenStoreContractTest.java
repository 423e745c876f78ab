package io.github.cameltokenrefresh.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.TokenStoreContractTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract, and what only the JDBC store promises, on one database (one subclass per database). */
abstract class JdbcTokenStoreContractTest extends TokenStoreContractTest {

    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    DataSource dataSource;
    String table;

    abstract TestDatabases database();

    @Override
    protected TokenStore createStore() {
        dataSource = database().dataSource();
        table = TestDatabases.newTableName();
        return jdbcStore(null);
    }

    JdbcTokenStore jdbcStore(String key) {
        JdbcTokenStore s = new JdbcTokenStore(dataSource);
        s.setTableName(table);
        s.setCreateTable(true);
        s.setEncryptionKey(key);
        return s;
    }

    @Override
    protected void dropStore() {
        if (dataSource != null) {
            TestDatabases.dropTable(dataSource, table);
        }
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void withoutAKeyTheRecordIsInClearAndWithOneItIsNot() {
        store.save("p", "clear", token("at-clear-secret", "rt-clear-secret"), 0);
        assertTrue(contains(TestDatabases.rawRecord(dataSource, table, "p", "clear"), "rt-clear-secret"),
                   "no key: the record holds the tokens in clear (documented)");

        JdbcTokenStore encrypted = jdbcStore(KEY);
        encrypted.save("p", "sealed", token("at-sealed-secret", "rt-sealed-secret"), 0);
        byte[] raw = TestDatabases.rawRecord(dataSource, table, "p", "sealed");
        assertTrue(contains(raw, "TRE1"), "an encrypted record starts with the cipher's magic");
        assertFalse(contains(raw, "sealed-secret"), "no token in clear in the database");
        assertFalse(contains(raw, "bearer"), "nothing of the record in clear");
        assertEquals("rt-sealed-secret", encrypted.load("p", "sealed").token().getRefreshToken());
        assertEquals("rt-clear-secret", encrypted.load("p", "clear").token().getRefreshToken(),
                     "records written before the key was set are still read");
        assertTrue(encrypted.isEncrypted());
        assertTrue(encrypted.toString().contains("encrypted"));
    }

    @Test
    void aRecordCopiedToAnotherAccountOrReadWithoutTheKeyFailsWithoutQuotingIt() {
        JdbcTokenStore encrypted = jdbcStore(KEY);
        encrypted.save("p", "a", token("at-a-secret", "rt-a-secret"), 0);
        encrypted.save("p", "b", token("at-b-secret", "rt-b-secret"), 0);
        TestDatabases.execute(dataSource, "UPDATE " + table + " SET record = (SELECT record FROM (SELECT record FROM "
                                          + table + " WHERE account = 'a') x) WHERE account = 'b'");

        JdbcTokenStoreException copied = assertThrows(JdbcTokenStoreException.class, () -> encrypted.load("p", "b"));
        assertTrue(copied.getMessage().contains("encryptionKey"), copied.getMessage());
        JdbcTokenStoreException noKey = assertThrows(JdbcTokenStoreException.class, () -> store.load("p", "a"));
        assertTrue(noKey.getMessage().contains("set encryptionKey"), noKey.getMessage());
        for (Exception e : List.of(copied, noKey)) {
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
            assertTrue(e.getMessage().contains("provider 'p'"), e.getMessage());
        }
    }

    @Test
    void aLeaseOnARecordItCannotReadIsNotKept() {
        jdbcStore(KEY).save("p", "a", token("at-a-secret", "rt-a-secret"), 0);
        JdbcTokenStore withoutKey = (JdbcTokenStore) store;
        JdbcTokenStoreException e = assertThrows(JdbcTokenStoreException.class,
                                                 () -> withoutKey.acquire("p", "a", "me", java.time.Duration.ofMinutes(1),
                                                                          java.time.Duration.ZERO));
        assertTrue(e.getMessage().contains("set encryptionKey"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertNull(withoutKey.holder("p", "a"), "the lease it could not use is free again");
    }

    @Test
    void expiresAtIsInClearAndTheDueQueryAsksTheDatabase() {
        JdbcTokenStore jdbc = (JdbcTokenStore) store;
        jdbc.save("p", "late", token("at", "rt").toBuilder().expiresAt(T0.plusSeconds(3000)).build(), 0);
        jdbc.save("p", "soon", token("at", "rt").toBuilder().expiresAt(T0.plusSeconds(100)).build(), 0);
        jdbc.save("p", "seeded", io.github.cameltokenrefresh.token.Token.ofRefreshToken("rt", T0), 0);
        jdbc.save("p", "fresh", token("at", "rt").toBuilder().expiresAt(T0.plusSeconds(9000)).build(), 0);
        jdbc.save("other", "soon", token("at", "rt").toBuilder().expiresAt(T0.plusSeconds(1)).build(), 0);

        assertEquals(T0.plusSeconds(100).toEpochMilli(), ((Number) TestDatabases.queryOne(
                dataSource, "SELECT expires_at FROM " + table + " WHERE provider = ? AND account = ?", "p", "soon"))
                .longValue());
        assertEquals(List.of("seeded", "soon", "late"), jdbc.accountsExpiringBefore("p", T0.plusSeconds(3600)));
        assertEquals(List.of("seeded"), jdbc.accountsExpiringBefore("p", T0));
        jdbc.delete("p", "seeded");
        assertEquals(List.of("soon"), jdbc.accountsExpiringBefore("p", T0.plusSeconds(101)));
    }

    @Test
    void issuedAtIsInClearAndTheKeepAliveQueryFindsExactlyTheAccountsIssuedBeforeTheAge() {
        JdbcTokenStore jdbc = (JdbcTokenStore) store;
        // all expire late (not due by expiry) but for "soon"; issued at different times
        jdbc.save("p", "idle-3h", token("at", "rt").toBuilder().issuedAt(T0.minusSeconds(3 * 3600))
                .expiresAt(T0.plusSeconds(20_000)).build(), 0);
        jdbc.save("p", "idle-just", token("at", "rt").toBuilder().issuedAt(T0.minusSeconds(7200).minusMillis(1))
                .expiresAt(T0.plusSeconds(20_000)).build(), 0);
        jdbc.save("p", "at-the-age", token("at", "rt").toBuilder().issuedAt(T0.minusSeconds(7200))
                .expiresAt(T0.plusSeconds(20_000)).build(), 0);
        jdbc.save("p", "recent", token("at", "rt").toBuilder().issuedAt(T0.minusSeconds(3600))
                .expiresAt(T0.plusSeconds(20_000)).build(), 0);
        jdbc.save("p", "soon", token("at", "rt").toBuilder().issuedAt(T0).expiresAt(T0.plusSeconds(100)).build(), 0);
        jdbc.save("other", "idle", token("at", "rt").toBuilder().issuedAt(T0.minusSeconds(9 * 3600))
                .expiresAt(T0.plusSeconds(20_000)).build(), 0);

        assertEquals(T0.minusSeconds(3600).toEpochMilli(), ((Number) TestDatabases.queryOne(
                dataSource, "SELECT issued_at FROM " + table + " WHERE provider = ? AND account = ?", "p", "recent"))
                .longValue());
        Instant window = T0.plusSeconds(600);
        assertEquals(List.of("soon"), jdbc.accountsDueBefore("p", window, null), "keep-alive off: expiry only");
        assertEquals(List.of("soon", "idle-3h", "idle-just"), jdbc.accountsDueBefore("p", window,
                                                                                    T0.minusSeconds(7200)));
        // a save moves issued_at: the refreshed account is no longer idle
        jdbc.save("p", "idle-3h", token("at-2", "rt").toBuilder().issuedAt(T0).expiresAt(T0.plusSeconds(20_000))
                .build(), 1);
        assertEquals(List.of("soon", "idle-just"), jdbc.accountsDueBefore("p", window, T0.minusSeconds(7200)));
    }

    @Test
    void failuresNameStoreProviderAccountAndSqlStateButNoTokenNorDriverMessageWhenTheRecordWasBound() {
        store.save("p", "a", token("at-1", "rt-1"), 0);
        TestDatabases.dropTable(dataSource, table);

        JdbcTokenStoreException save = assertThrows(JdbcTokenStoreException.class,
                                                    () -> store.save("p", "a", token("at-dropped", "rt-dropped"), 1));
        assertTrue(save.getMessage().startsWith(store.toString() + ": cannot save provider 'p' account 'a'"),
                   save.getMessage());
        assertTrue(save.getMessage().contains("SQLState " + save.getSqlState()), save.getMessage());
        assertNotNull(save.getSqlState());
        assertNull(save.getCause(), "the driver's exception may quote bound values: left out");
        assertFalse(save.getMessage().contains("dropped"), save.getMessage());

        JdbcTokenStoreException load = assertThrows(JdbcTokenStoreException.class, () -> store.load("p", "a"));
        assertTrue(load.getMessage().contains("cannot load provider 'p' account 'a'"), load.getMessage());
        assertNotNull(load.getCause(), "no record bound: the driver's exception is kept for diagnosis");
    }

    @Test
    void toStringNamesTableAndDatabaseNeverTheConnection() {
        JdbcTokenStore jdbc = (JdbcTokenStore) store;
        assertEquals("JdbcTokenStore[table=" + table + ", not connected yet]", jdbc.toString());
        jdbc.load("p", "a");
        String s = jdbc.toString();
        assertTrue(s.startsWith("JdbcTokenStore[table=" + table + ", "), s);
        assertFalse(s.contains("jdbc:") || s.contains("127.0.0.1") || s.contains("root") || s.contains("postgres@"), s);
        assertSame(jdbc, jdbc.leases());
    }

    @Test
    void createTableIsIdempotentAndASchemaQualifiedNameWorks() {
        store.save("p", "a", token("at-1", "rt-1"), 0);
        JdbcTokenStore again = jdbcStore(null);
        assertEquals("rt-1", again.load("p", "a").token().getRefreshToken(), "a second createTable keeps the rows");

        String qualified = schema() + "." + TestDatabases.newTableName();
        try {
            JdbcTokenStore s = new JdbcTokenStore(dataSource);
            s.setTableName(qualified);
            s.setCreateTable(true);
            s.save("p", "q", token("at-q", "rt-q"), 0);
            assertEquals("rt-q", s.load("p", "q").token().getRefreshToken());
            assertNotNull(s.acquire("p", "q", "me", java.time.Duration.ofSeconds(30), java.time.Duration.ZERO));
        } finally {
            TestDatabases.dropTable(dataSource, qualified);
        }
    }

    /** Replicas starting together, each with createTable=true, on a table that does not exist yet: all of them start. */
    @Test
    void storesCreatingTheTableAtOnceAllStart() throws Exception {
        String fresh = TestDatabases.newTableName();
        int replicas = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(replicas);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<StoredToken>> loads = new java.util.ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                JdbcTokenStore s = new JdbcTokenStore(database().dataSource());
                s.setTableName(fresh);
                s.setCreateTable(true);
                loads.add(pool.submit(() -> {
                    start.await();
                    return s.load("p", "a");
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<StoredToken> load : loads) {
                assertNull(load.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
            TestDatabases.dropTable(dataSource, fresh);
        }
    }

    /** A schema the test user may create tables in. */
    abstract String schema();

    @Test
    void theShippedDdlIsWhatCreateTableRuns() {
        List<String> ddl = JdbcDatabase.ddl(database().dialect, "s.t");
        assertFalse(ddl.isEmpty());
        assertTrue(ddl.get(0).startsWith("CREATE TABLE IF NOT EXISTS s.t ("), ddl.get(0));
        assertFalse(String.join(";", ddl).contains("${"), "every placeholder filled in");
    }
}
