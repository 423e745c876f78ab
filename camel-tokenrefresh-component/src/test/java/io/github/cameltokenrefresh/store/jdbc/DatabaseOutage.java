package io.github.cameltokenrefresh.store.jdbc;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.cameltokenrefresh.testing.TcpOutageProxy;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;

import static org.awaitility.Awaitility.await;

/**
 * A database the test can take down and bring back, behind a connection pool as production runs it: H2 as a real
 * TCP server this JVM starts and stops (its data on disk, so a restart keeps it); PostgreSQL and MariaDB, which are
 * shared and must not be stopped, behind a {@link TcpOutageProxy} that cuts every connection and refuses new ones.
 * Counts the connections the store borrows from the pool: none means the database was not touched.
 */
final class DatabaseOutage implements AutoCloseable {

    private final TestDatabases database;
    private final DataSource direct;
    private final HikariDataSource pool;
    private final DataSource counted;
    private final AtomicInteger borrowed = new AtomicInteger();
    private final TcpOutageProxy proxy;
    private final String[] h2Arguments;
    private Server h2;
    private boolean down;

    DatabaseOutage(TestDatabases database, Path dir) throws SQLException, IOException {
        this.database = database;
        DataSource target;
        if (database == TestDatabases.H2) {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            h2Arguments = new String[] { "-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists" };
            h2 = Server.createTcpServer(h2Arguments).start();
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:tcp://127.0.0.1:" + port + "/tokens");
            target = ds;
            direct = ds;
            proxy = null;
        } else {
            h2Arguments = null;
            direct = database.dataSource();
            proxy = TcpOutageProxy.inFrontOf("127.0.0.1", database.port());
            target = database.dataSourceThrough(proxy.port());
        }
        pool = TestDatabases.pooled(target, 4);
        pool.setConnectionTimeout(2_000); // while down, a borrow fails in 2 s rather than 10
        counted = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] { DataSource.class }, (self, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        borrowed.incrementAndGet();
                    }
                    try {
                        return method.invoke(pool, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** What the store uses: the pool, counted. */
    DataSource dataSource() {
        return counted;
    }

    /** The database itself, not through the pool or the proxy (for the test's own setup and checks). */
    DataSource direct() {
        return direct;
    }

    /** Connections the store has borrowed so far. */
    int borrowed() {
        return borrowed.get();
    }

    /** Down: every open connection broken, new ones refused. */
    void stop() {
        down = true;
        if (proxy != null) {
            proxy.cut();
        } else {
            h2.stop();
        }
    }

    /** Back, on the same address. */
    void start() throws SQLException {
        if (!down) {
            return;
        }
        down = false;
        if (proxy != null) {
            proxy.resume();
        } else {
            h2 = Server.createTcpServer(h2Arguments).start();
        }
        // back means the pool hands out a working connection again (on a loaded machine a new one can take longer than
        // the store's 2 s borrow timeout): wait for that, uncounted, rather than let the test's next call race it
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Connection c = pool.getConnection()) {
                return c.isValid(5);
            }
        });
    }

    @Override
    public void close() throws SQLException {
        start();
        pool.close();
        if (proxy != null) {
            proxy.close();
        } else {
            h2.stop();
        }
    }

    @Override
    public String toString() {
        return database + (proxy != null ? " behind a TCP proxy" : " TCP server");
    }
}
