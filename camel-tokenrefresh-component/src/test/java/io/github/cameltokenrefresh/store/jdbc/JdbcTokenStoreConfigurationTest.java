package io.github.cameltokenrefresh.store.jdbc;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.cameltokenrefresh.store.TokenStoreContractTest.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wrong configuration fails with an error naming the option; secrets never show. On H2. */
class JdbcTokenStoreConfigurationTest {

    @ParameterizedTest
    @ValueSource(strings = { "", "1table", "tokens; DROP TABLE x", "a.b.c", "my-table", "\"quoted\"", "s.",
                             "t234567890123456789012345678901234567890123456789012345678901234" })
    void aTableNameThatIsNotAPlainIdentifierIsRefused(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> new JdbcTokenStore().setTableName(name));
        assertTrue(e.getMessage().contains("option tableName"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "tokens", "_t", "app.tokenrefresh_token", "T23456789012345678901234567890123456789012345678"
                                                                      + "901234567890123" })
    void plainAndSchemaQualifiedNamesAreAccepted(String name) {
        JdbcTokenStore store = new JdbcTokenStore();
        store.setTableName(name);
        assertEquals(name, store.getTableName());
    }

    @Test
    void withoutADataSourceTheFirstUseNamesTheOption() {
        JdbcTokenStore store = new JdbcTokenStore();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.load("p", "a"));
        assertTrue(e.getMessage().contains("option dataSource is required"), e.getMessage());
    }

    @Test
    void aWrongDialectOrKeyIsRefusedWithoutShowingTheKey() {
        JdbcTokenStore store = new JdbcTokenStore();
        IllegalArgumentException dialect = assertThrows(IllegalArgumentException.class, () -> store.setDialect("oracle"));
        assertTrue(dialect.getMessage().contains("option dialect"), dialect.getMessage());

        String notBase64 = "secret-key-material!";
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> store.setEncryptionKey(notBase64));
        assertTrue(key.getMessage().contains("option encryptionKey"), key.getMessage());
        assertFalse(key.getMessage().contains(notBase64));
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                                                         () -> store.setEncryptionKey("c2VjcmV0"));
        assertTrue(shortKey.getMessage().contains("16, 24 or 32 bytes, was 6"), shortKey.getMessage());
        assertFalse(shortKey.getMessage().contains("c2VjcmV0"));
        assertFalse(store.isEncrypted());
    }

    @Test
    void anOverriddenDialectIsUsedAndTheStoreIsFrozenOnceInUse() {
        DataSource ds = TestDatabases.H2.dataSource();
        String table = TestDatabases.newTableName();
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(table);
        store.setCreateTable(true);
        store.setDialect("h2");
        try {
            assertNull(store.load("p", "a"));
            IllegalStateException frozen = assertThrows(IllegalStateException.class, () -> store.setTableName("other"));
            assertTrue(frozen.getMessage().contains("configure it before its first operation"), frozen.getMessage());
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }

    @Test
    void namesAndLeaseTimesAreChecked() {
        JdbcTokenStore store = new JdbcTokenStore(TestDatabases.H2.dataSource());
        assertThrows(IllegalArgumentException.class, () -> store.load("p", "a".repeat(201)));
        assertThrows(IllegalArgumentException.class, () -> store.load("p", ""));
        assertThrows(IllegalArgumentException.class,
                     () -> store.acquire("p", "a", "me", Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                     () -> store.acquire("p", "a", "me", Duration.ofSeconds(1), Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> store.save("p", "a", token("at", "rt"), -1));
    }

    /** docs/stores.md shows the DDL the jar ships, statement for statement. */
    @Test
    void theDocsShowTheShippedDdl() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/stores.md"));
        for (JdbcDialect dialect : JdbcDialect.values()) {
            for (String statement : JdbcDatabase.ddl(dialect, "${table}")) {
                String shown = statement.replace(dialect.indexName("${table}"), "${index}");
                assertTrue(docs.contains(shown), dialect + " statement not in docs/stores.md:\n" + shown);
            }
        }
    }

    /**
     * H2 quotes a value that does not fit into its column (as hex) in its exception message: a failed save must not
     * pass that on, with or without encryption.
     */
    @Test
    void aDriverMessageQuotingTheRecordNeverReachesTheException() {
        DataSource ds = TestDatabases.H2.dataSource();
        String table = TestDatabases.newTableName();
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(table);
        store.setCreateTable(true);
        try {
            store.load("p", "a"); // creates the table
            TestDatabases.execute(ds, "ALTER TABLE " + table + " ALTER COLUMN record SET DATA TYPE VARBINARY(8)");
            Token secret = token("at-very-secret", "rt-very-secret");
            JdbcTokenStoreException e = assertThrows(JdbcTokenStoreException.class, () -> store.save("p", "a", secret, 0));
            assertNull(e.getCause());
            String hexOfRecordStart = "7b0a"; // "{\n": the codec's JSON as H2 would quote it
            for (String forbidden : List.of("very-secret", hexOfRecordStart, "7B0A")) {
                assertFalse(e.getMessage().contains(forbidden), e.getMessage());
            }
            assertTrue(e.getMessage().contains("SQLState 22001"), e.getMessage());

            // what the driver itself says: the reason its exception is left out
            try (java.sql.Connection c = ds.getConnection();
                 java.sql.PreparedStatement ps = c.prepareStatement(
                         "INSERT INTO " + table + " (provider, account, version, record, updated_at, lease_fence,"
                         + " lease_interrupted) VALUES ('x', 'y', 1, ?, 0, 0, 0)")) {
                ps.setBytes(1, "{\n  secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                java.sql.SQLException raw = assertThrows(java.sql.SQLException.class, ps::executeUpdate);
                assertTrue(raw.getMessage().toLowerCase().contains(hexOfRecordStart), raw.getMessage());
            } catch (java.sql.SQLException unexpected) {
                throw new AssertionError(unexpected);
            }
            assertNotNull(e.getSqlState());
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }
}
