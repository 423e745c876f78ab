package io.github.cameltokenrefresh.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.record.RecordCipher;

/**
 * The connection side of {@link JdbcTokenStore}: its configuration, the setup at first use (dialect, optional DDL),
 * one connection per operation, and failures turned into {@link JdbcTokenStoreException}s that never quote a value.
 */
final class JdbcDatabase {

    /** What the bean setters fill in; frozen by the first operation. */
    static final class Config {
        DataSource dataSource;
        String tableName = JdbcTokenStore.DEFAULT_TABLE_NAME;
        boolean createTable;
        JdbcDialect dialect;
        RecordCipher cipher;
        String instanceId = ManagementFactory.getRuntimeMXBean().getName();
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c, Setup s) throws SQLException, IOException;
    }

    private final Config config = new Config();
    private final Supplier<String> storeName;
    private volatile Setup setup;

    JdbcDatabase(Supplier<String> storeName) {
        this.storeName = storeName;
    }

    Config config() {
        return config;
    }

    /** The configuration to change, refused once the store is in use. */
    Config configure() {
        if (setup != null) {
            throw new IllegalStateException(storeName.get() + " is in use; configure it before its first operation");
        }
        return config;
    }

    Setup current() {
        return setup;
    }

    /** Runs one operation on its own connection, in autocommit. */
    <T> T run(String what, String provider, String account, boolean recordBound, Work<T> work) {
        Setup s = setup();
        try (Connection c = config.dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (!autoCommit) {
                c.setAutoCommit(true);
            }
            try {
                return work.run(c, s);
            } finally {
                if (!autoCommit) {
                    c.setAutoCommit(false);
                }
            }
        } catch (SQLException e) {
            throw failure(what, provider, account, e, recordBound);
        } catch (IOException e) {
            // the codec's and the cipher's messages say where, never what
            throw new JdbcTokenStoreException(storeName.get() + ": cannot " + what + subject(provider, account) + ": "
                                              + e.getMessage(), null, null);
        }
    }

    /**
     * Names the store, the operation, provider, account and SQLState. A statement that carried the record leaves the
     * driver's exception out altogether: H2, for one, quotes a too long value in its message.
     */
    private JdbcTokenStoreException failure(String what, String provider, String account, SQLException e,
                                            boolean recordBound) {
        return new JdbcTokenStoreException(storeName.get() + ": cannot " + what + subject(provider, account)
                                           + " (SQLState " + e.getSQLState() + ", vendor code " + e.getErrorCode()
                                           + ", " + e.getClass().getSimpleName() + ")", e.getSQLState(),
                                           recordBound ? null : e);
    }

    private static String subject(String provider, String account) {
        return " provider '" + provider + "'" + (account == null ? "" : " account '" + account + "'");
    }

    private Setup setup() {
        Setup s = setup;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (setup == null) {
                setup = connect(); // not kept when it fails: the next operation tries again
            }
            return setup;
        }
    }

    private Setup connect() {
        if (config.dataSource == null) {
            throw new IllegalStateException("JdbcTokenStore: option dataSource is required: a javax.sql.DataSource,"
                                            + " e.g. camel.beans.tokenStore.data-source = #bean:myDataSource");
        }
        try (Connection c = config.dataSource.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            String product = md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
            JdbcDialect dialect = config.dialect != null ? config.dialect : JdbcDialect.detect(md.getDatabaseProductName());
            if (dialect == null) {
                throw new IllegalStateException("JdbcTokenStore: option dialect: database " + md.getDatabaseProductName()
                                                + " is not PostgreSQL, MariaDB/MySQL or H2; set dialect if it speaks"
                                                + " one of them");
            }
            if (config.createTable) {
                createTable(c, dialect);
            }
            return new Setup(dialect, new JdbcStatements(config.tableName, dialect), new JdbcRows(config.cipher),
                             product.length() > 60 ? product.substring(0, 60) : product);
        } catch (SQLException e) {
            throw new JdbcTokenStoreException("JdbcTokenStore[table=" + config.tableName + "]: cannot connect"
                                              + (config.createTable ? " and create the table" : "") + " (SQLState "
                                              + e.getSQLState() + ", " + e.getClass().getSimpleName() + ")",
                                              e.getSQLState(), e);
        }
    }

    /**
     * Runs the shipped DDL. IF NOT EXISTS does not make concurrent creations safe: PostgreSQL fails a CREATE that
     * waited for another one on its catalog's unique index. Then the object exists, committed, so each statement is
     * tried a second time: replicas starting together with createTable=true all start.
     */
    private void createTable(Connection c, JdbcDialect dialect) throws SQLException {
        for (String ddl : ddl(dialect, config.tableName)) {
            try (Statement st = c.createStatement()) {
                st.execute(ddl);
            } catch (SQLException first) {
                try (Statement st = c.createStatement()) {
                    st.execute(ddl);
                }
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /** The shipped DDL's statements, comments removed, table and index names filled in. */
    static List<String> ddl(JdbcDialect dialect, String table) {
        String text;
        try (InputStream in = JdbcDatabase.class.getResourceAsStream(dialect.ddlResource())) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the jar lacks " + dialect.ddlResource(), e);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.trim().replace("${table}", table).replace("${index}", dialect.indexName(table)));
            }
        }
        return statements;
    }

    /** A BIGINT parameter that is null (a plain null binds as a VARCHAR null). */
    static final Object NULL_BIGINT = new Object();

    /** Binds parameters in order: Long, {@link #NULL_BIGINT}, byte[], String (null as a VARCHAR null). */
    static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof byte[]) {
                ps.setBytes(i + 1, (byte[]) v);
            } else if (v instanceof Long) {
                ps.setLong(i + 1, (Long) v);
            } else if (v instanceof String) {
                ps.setString(i + 1, (String) v);
            } else if (v == NULL_BIGINT) {
                ps.setNull(i + 1, Types.BIGINT);
            } else if (v == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                throw new IllegalArgumentException("cannot bind a " + v.getClass().getSimpleName());
            }
        }
    }

    static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, values);
            return ps.executeUpdate();
        }
    }

    /** The dialect, the SQL and the row mapping, fixed at first use. */
    record Setup(JdbcDialect dialect, JdbcStatements sql, JdbcRows rows, String product) {

        /** An insert-if-absent: 1 when it inserted, 0 when the row was there. */
        int insert(Connection c, String sql, Object... values) throws SQLException {
            try {
                return update(c, sql, values);
            } catch (SQLException e) {
                if (dialect.isDuplicateKey(e)) {
                    return 0;
                }
                throw e;
            }
        }

        RefreshLease tryAcquire(Connection c, String provider, String account, String owner, long hold, long grace)
                throws SQLException, IOException {
            Object[] values = { owner, hold, provider, account, grace };
            if (dialect.returning() != JdbcDialect.Returning.SELECT_AFTER) {
                try (PreparedStatement ps = c.prepareStatement(sql.acquire)) {
                    bind(ps, values);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return null;
                        }
                        long fence = rs.getLong(3);
                        try {
                            return rows.lease(provider, account, owner, rs);
                        } catch (IOException e) {
                            // taken but unreadable (wrong key): free it, or the next holder would see an interrupt
                            update(c, sql.release, provider, account, fence);
                            throw e;
                        }
                    }
                }
            }
            // UPDATE, then SELECT what it wrote, in one transaction: the row lock keeps others out in between
            c.setAutoCommit(false);
            try {
                RefreshLease lease = null;
                if (update(c, sql.acquireUpdate, values) == 1) {
                    try (PreparedStatement ps = c.prepareStatement(sql.leaseRow)) {
                        bind(ps, provider, account);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            lease = rows.lease(provider, account, owner, rs);
                        }
                    }
                }
                c.commit();
                return lease;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }

        /** A renewal (or markSending) of this fence: the new lease_until, or null when the fence is no longer held. */
        Long renew(Connection c, String statement, String provider, String account, long fence, long ttl)
                throws SQLException {
            Object[] values = { ttl, provider, account, fence };
            if (dialect.returning() != JdbcDialect.Returning.SELECT_AFTER) {
                try (PreparedStatement ps = c.prepareStatement(statement)) {
                    bind(ps, values);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                }
            }
            if (update(c, statement, values) != 1) {
                return null;
            }
            // autocommit: the value only feeds monitoring, the fence was checked by the UPDATE
            try (PreparedStatement ps = c.prepareStatement(sql.renewedUntil)) {
                bind(ps, provider, account, fence);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        }

        List<String> accounts(Connection c, String query, String provider, Long... limits) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(query)) {
                Object[] values = new Object[1 + (limits == null ? 0 : limits.length)];
                values[0] = provider;
                for (int i = 1; i < values.length; i++) {
                    values[i] = limits[i - 1];
                }
                bind(ps, values);
                List<String> accounts = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        accounts.add(rs.getString(1));
                    }
                }
                return accounts;
            }
        }

        /** The stored version without decrypting the record, for a stale-version report: 0 when none. */
        long currentVersion(Connection c, String provider, String account) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql.load)) {
                bind(ps, provider, account);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
    }
}
