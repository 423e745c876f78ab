package io.github.cameltokenrefresh.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The databases the JDBC store is tested on. H2 (in memory) always; PostgreSQL (127.0.0.1:5432, user postgres,
 * database test) and MariaDB (127.0.0.1:3306, root without password, database test) when reachable: otherwise their
 * tests are skipped, saying why, unless {@code -Dtokenrefresh.requireDatabases=true} (CI) makes that a failure.
 */
enum TestDatabases {

    H2(JdbcDialect.H2, "in-memory H2"),
    POSTGRESQL(JdbcDialect.POSTGRESQL, "PostgreSQL at 127.0.0.1:5432 (user postgres, database test)"),
    MARIADB(JdbcDialect.MARIADB, "MariaDB at 127.0.0.1:3306 (user root, database test)");

    static final boolean REQUIRED = Boolean.getBoolean("tokenrefresh.requireDatabases");
    private static final Map<TestDatabases, String> UNREACHABLE = new ConcurrentHashMap<>();
    private static final String H2_URL = "jdbc:h2:mem:tokenrefresh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    final JdbcDialect dialect;
    private final String description;

    TestDatabases(JdbcDialect dialect, String description) {
        this.dialect = dialect;
        this.description = description;
    }

    /** A new DataSource object (each one opens its own connections) for a reachable database, or skips the test. */
    DataSource dataSource() {
        DataSource ds = create();
        String reason = UNREACHABLE.computeIfAbsent(this, d -> probe(ds));
        if (!reason.isEmpty()) {
            String message = description + " is not reachable (" + reason + ")";
            if (REQUIRED) {
                fail(message + "; -Dtokenrefresh.requireDatabases=true makes that a failure");
            }
            assumeTrue(false, message + ": test skipped (-Dtokenrefresh.requireDatabases=true fails instead)");
        }
        return ds;
    }

    private DataSource create() {
        return at(this == POSTGRESQL ? 5432 : 3306);
    }

    /**
     * A DataSource for PostgreSQL or MariaDB at another loopback port (a proxy in front of the real server), after
     * checking the real server is reachable (else skipped, or failed when required); H2 has no port here.
     */
    DataSource dataSourceThrough(int port) {
        if (this == H2) {
            throw new IllegalArgumentException("H2 runs in this JVM: start an org.h2.tools.Server instead");
        }
        dataSource();
        return at(port);
    }

    /** The real server's port (PostgreSQL, MariaDB). */
    int port() {
        return this == POSTGRESQL ? 5432 : 3306;
    }

    private DataSource at(int port) {
        try {
            switch (this) {
                case H2: {
                    JdbcDataSource ds = new JdbcDataSource();
                    ds.setURL(H2_URL);
                    return ds;
                }
                case POSTGRESQL: {
                    PGSimpleDataSource ds = new PGSimpleDataSource();
                    ds.setServerNames(new String[] { "127.0.0.1" });
                    ds.setPortNumbers(new int[] { port });
                    ds.setDatabaseName("test");
                    ds.setUser("postgres");
                    ds.setConnectTimeout(3);
                    ds.setLoginTimeout(5);
                    if (port != port()) {
                        ds.setSocketTimeout(10); // through a proxy that may cut: never hang on a read
                    }
                    return ds;
                }
                default: {
                    MariaDbDataSource ds = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:" + port
                                                                 + "/test?connectTimeout=3000"
                                                                 + (port != port() ? "&socketTimeout=10000" : ""));
                    ds.setUser("root");
                    ds.setPassword("");
                    return ds;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "" when a connection works, else why not. */
    private static String probe(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return c.isValid(3) ? "" : "connection not valid";
        } catch (SQLException e) {
            return "SQLState " + e.getSQLState() + ": " + e.getMessage();
        }
    }

    /**
     * How JVMs of their own reach this database: the argument to pass them ({@link #fromArgument}), and this JVM's
     * DataSource. H2 in file mode under {@code dir}, with AUTO_SERVER: the first JVM to open the file serves it.
     */
    record Shared(String argument, DataSource dataSource) {
    }

    Shared sharedAcrossJvms(Path dir) {
        if (this != H2) {
            return new Shared(name(), dataSource());
        }
        String url = "jdbc:h2:file:" + dir.resolve("tokens").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        return new Shared(url, fromArgument(url));
    }

    /** The DataSource a forked JVM uses for the argument of {@link #sharedAcrossJvms}. */
    static DataSource fromArgument(String argument) {
        if (argument.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(argument);
            return h2;
        }
        return valueOf(argument).dataSource();
    }

    /**
     * A connection pool over {@code ds}, as production runs the store: a store operation then costs its statement,
     * not a new connection (a PostgreSQL backend process each). Close it when done.
     */
    static HikariDataSource pooled(DataSource ds, int size) {
        // validate every borrowed connection, not only those idle for 500 ms: a database restarted in a test comes
        // back within milliseconds, where a real restart takes longer than Hikari's bypass window
        System.setProperty("com.zaxxer.hikari.aliveBypassWindowMs", "0");
        HikariConfig config = new HikariConfig();
        config.setDataSource(ds);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setPoolName("tokenrefresh-test");
        return new HikariDataSource(config);
    }

    /** A table name no parallel run uses. */
    static String newTableName() {
        return "tr_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static void dropTable(DataSource ds, String table) {
        execute(ds, "DROP TABLE IF EXISTS " + table);
    }

    /** The raw record column, as anyone with access to the database sees it. */
    static byte[] rawRecord(DataSource ds, String table, String provider, String account) {
        return queryOne(ds, "SELECT record FROM " + table + " WHERE provider = ? AND account = ?", provider, account)
                instanceof byte[] b ? b : null;
    }

    static Object queryOne(DataSource ds, String sql, String... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Object value = rs.getObject(1);
                return value instanceof java.sql.Blob blob ? blob.getBytes(1, (int) blob.length()) : value;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The database clock, in the store's unit. */
    long nowMillis(DataSource ds) {
        return ((Number) queryOne(ds, "SELECT " + dialect.now()))
                .longValue();
    }
}
