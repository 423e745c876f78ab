package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;

/**
 * The databases the JDBC store is benchmarked on: H2 in file mode (a directory of its own), and the shared PostgreSQL
 * (127.0.0.1:5432, user postgres, database test) and MariaDB (127.0.0.1:3306, root, database test) when reachable. Each
 * benchmark gets a table of its own (a random name) behind a HikariCP pool, as an application would have, and drops it
 * when done; the shared servers hold other people's tables too.
 */
final class BenchDatabases {

    private BenchDatabases() {
    }

    /** The databases to try: {@code -Dbench.jdbc.databases=h2,postgresql,mariadb} (the default: all three). */
    static List<String> names() {
        return List.of(System.getProperty("bench.jdbc.databases", "h2,postgresql,mariadb").toLowerCase(Locale.ROOT)
                .split(","));
    }

    /** A database with a new table name, or null (saying why) when it is not reachable. */
    static Database open(String name, int poolSize) {
        Path h2Dir = name.equals("h2") ? Fixtures.tempDir("bench-h2") : null;
        String table = "bench_tr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Database db = new Database(name, url(name, h2Dir), table, h2Dir);
        try {
            db.pool(poolSize); // the first pool: proves the database is there
            return db;
        } catch (RuntimeException e) {
            System.out.printf("%s: SKIPPED, not reachable at %s (%s)%n", name, db.url, e.getMessage());
            Fixtures.deleteTree(h2Dir);
            return null;
        }
    }

    private static String url(String name, Path h2Dir) {
        return switch (name) {
            case "h2" -> "jdbc:h2:file:" + h2Dir.resolve("tokens");
            case "postgresql" -> "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3";
            case "mariadb" -> "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=3000";
            default -> throw new IllegalArgumentException("unknown database " + name + "; use h2, postgresql, mariadb");
        };
    }

    /** One database and one table; every pool taken from it shares the table, as replicas share it. */
    static final class Database implements AutoCloseable {
        final String name;
        final String url;
        final String table;
        private final Path h2Dir;
        private final List<HikariDataSource> pools = new java.util.concurrent.CopyOnWriteArrayList<>();

        Database(String name, String url, String table, Path h2Dir) {
            this.name = name;
            this.url = url;
            this.table = table;
            this.h2Dir = h2Dir;
        }

        /** A new connection pool of {@code size} on this database (each replica has its own), counted. */
        CountingDataSource pool(int size) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(name.equals("postgresql") ? "postgres" : name.equals("mariadb") ? "root" : "sa");
            config.setPassword("");
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(1);
            config.setConnectionTimeout(5_000);
            config.setInitializationFailTimeout(5_000);
            config.setPoolName("bench-" + name + "-" + pools.size());
            HikariDataSource pool = new HikariDataSource(config);
            pools.add(pool);
            return new CountingDataSource(pool);
        }

        /** A store on this table through {@code dataSource}, creating the table at first use. */
        JdbcTokenStore store(CountingDataSource dataSource, String instanceId) {
            JdbcTokenStore store = new JdbcTokenStore(dataSource);
            store.setTableName(table);
            store.setCreateTable(true);
            store.setInstanceId(instanceId);
            return store;
        }

        CountingDataSource firstPool() {
            return new CountingDataSource(pools.get(0));
        }

        /** Drops the table (if it was created) and closes the pools. */
        @Override
        public void close() {
            try (Connection c = pools.get(0).getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            } catch (Exception e) {
                System.out.printf("%s: could not drop table %s: %s%n", name, table, e);
            }
            pools.forEach(HikariDataSource::close);
            Fixtures.deleteTree(h2Dir);
        }
    }
}
