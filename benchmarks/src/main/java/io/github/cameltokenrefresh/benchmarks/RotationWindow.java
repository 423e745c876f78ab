package io.github.cameltokenrefresh.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The rotation window (issue 22): from the token endpoint's answer to the commit of the rotated record, the time in
 * which a SIGKILL loses the new refresh token. Forced refreshes through a Camel context against a local rotating token
 * server that answers at once; "answer" is when the call reached the server (an upper bound: it includes the server's
 * own work and the HTTP transfer back), "commit" when the store's fenced save returned. Per database, with a HikariCP
 * pool and with a DataSource that connects per statement. Also the lease's statements: per refresh, per second of a
 * held token call (renewals), and for a fresh token (none).
 */
final class RotationWindow {

    static final String PROVIDER = "window";
    static final int REFRESHES = Integer.getInteger("bench.window.refreshes", 200);
    static final int WARMUP = 20;
    static final Duration SLOW_CALL = Duration.ofSeconds(Integer.getInteger("bench.window.slowCallSeconds", 5));

    private RotationWindow() {
    }

    /** The store of one run: notes when its fenced save returned. */
    static final class TimedStore extends JdbcTokenStore {
        volatile long saveStarted;
        volatile long committed;

        TimedStore(DataSource ds) {
            super(ds);
        }

        @Override
        public StoredToken saveAndRelease(RefreshLease lease, Token token) {
            saveStarted = System.nanoTime();
            StoredToken stored = super.saveAndRelease(lease, token);
            committed = System.nanoTime();
            return stored;
        }
    }

    static void run() throws Exception {
        System.out.println();
        System.out.printf("== 6e. rotation window (answer -> commit) and lease statements, %d forced refreshes after %d"
                          + " unmeasured, token endpoint answering at once%n", REFRESHES, WARMUP);
        System.out.printf("%-12s %-20s %24s %22s %10s %10s %12s%n", "database", "DataSource", "answer->commit p50/p99",
                          "save stmt p50/p99", "stmts/ref", "stmts/s", "fresh stmts");
        for (String name : BenchDatabases.names()) {
            try (BenchDatabases.Database db = BenchDatabases.open(name, 4)) {
                if (db != null) {
                    measure(db, "HikariCP pool of 4", db.firstPool());
                    measure(db, "connect per stmt", new CountingDataSource(perStatement(db)));
                }
            }
        }
        System.out.println("(stmts/ref: statements of one refresh; stmts/s: renewals per second while a " + SLOW_CALL
                           .toSeconds() + " s token call holds the lease; fresh: statements for 1,000 fresh tokens)");
    }

    private static DataSource perStatement(BenchDatabases.Database db) throws Exception {
        switch (db.name) {
            case "h2": {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL(db.url);
                h2.setUser("sa");
                return h2;
            }
            case "postgresql": {
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setURL(db.url);
                pg.setUser("postgres");
                return pg;
            }
            default: {
                MariaDbDataSource maria = new MariaDbDataSource(db.url);
                maria.setUser("root");
                maria.setPassword("");
                return maria;
            }
        }
    }

    private static void measure(BenchDatabases.Database db, String label, DataSource target) throws Exception {
        AtomicLong statements = new AtomicLong();
        TimedStore store = new TimedStore(counting(target, statements));
        store.setTableName(db.table);
        store.setCreateTable(true);
        store.setInstanceId("bench-window");
        AtomicLong arrived = new AtomicLong();
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-window").rotateRefreshTokens(true).expiresIn(3600L)
                .beforeEachTokenCall(request -> arrived.set(System.nanoTime()));
        Path dir = Fixtures.tempDir("bench-window");
        DefaultCamelContext context = Fixtures.context(dir);
        context.getComponent("tokenrefresh", TokenRefreshComponent.class).getConfiguration().setStore(store);
        String uri = Fixtures.provider(PROVIDER + "-" + db.name + "-" + (label.startsWith("Hikari") ? "p" : "u"),
                                       tokens, "rt-window", null);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(uri);
            }
        });
        try {
            context.start();
            context.createProducerTemplate().sendBody("direct:call", "");
            AccountTokens account = RefreshCapacity.provider(context, uri.substring("tokenrefresh:".length(),
                                                                                    uri.indexOf('?'))).account("default");
            Latencies window = new Latencies();
            Latencies save = new Latencies();
            long statementsMeasured = 0;
            for (int i = 0; i < REFRESHES + WARMUP; i++) {
                long s0 = statements.get();
                account.refresh();
                if (i >= WARMUP) {
                    window.record(store.committed - arrived.get());
                    save.record(store.committed - store.saveStarted);
                    statementsMeasured += statements.get() - s0;
                }
            }
            // a token call that holds the lease: what its renewals cost per second
            long quick = statementsMeasured / REFRESHES;
            tokens.responseDelay(SLOW_CALL);
            long s0 = statements.get();
            account.refresh();
            double perSecond = (statements.get() - s0 - quick) / (double) SLOW_CALL.toSeconds();
            tokens.responseDelay(Duration.ZERO);
            long f0 = statements.get();
            for (int i = 0; i < 1_000; i++) {
                account.token();
            }
            long fresh = statements.get() - f0;
            Latencies w = Latencies.merge(List.of(window)); // percentiles of a merged (sorted) recorder
            Latencies sv = Latencies.merge(List.of(save));
            System.out.printf("%-12s %-20s %24s %22s %10.1f %10.1f %12d%n", db.name, label,
                              Latencies.ms(w.percentile(50)) + " / " + Latencies.ms(w.percentile(99)),
                              Latencies.ms(sv.percentile(50)) + " / " + Latencies.ms(sv.percentile(99)),
                              (double) statementsMeasured / REFRESHES, perSecond, fresh);
        } finally {
            Fixtures.stopQuietly(context, tokens);
            Fixtures.deleteTree(dir);
        }
    }

    /** Counts the statements prepared or created on connections of {@code target}. */
    private static DataSource counting(DataSource target, AtomicLong statements) {
        InvocationHandler dataSource = (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection c ? countingConnection(c, statements) : result;
        };
        return (DataSource) Proxy.newProxyInstance(RotationWindow.class.getClassLoader(),
                                                   new Class<?>[] { DataSource.class }, dataSource);
    }

    private static Connection countingConnection(Connection target, AtomicLong statements) {
        InvocationHandler connection = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") || method.getName().equals("createStatement")) {
                statements.incrementAndGet();
            }
            return invoke(target, method, args);
        };
        return (Connection) Proxy.newProxyInstance(RotationWindow.class.getClassLoader(),
                                                   new Class<?>[] { Connection.class }, connection);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
