package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.ProviderTokens;
import io.github.cameltokenrefresh.token.RefreshReport;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Start-up with many stored accounts (issue 13, "start-up at scale"): one provider whose store already holds
 * {@code bench.startup.accounts} (default 100,000) accounts, {@value StartupSeed#DUE} of them due, with the file store,
 * the JDBC store on H2 (file mode) and on PostgreSQL (when 127.0.0.1:5432 answers; a table of its own, dropped after).
 * For each store, with refreshOnStart off and on, a new Camel context measures from {@code context.start()}:
 * <ul>
 * <li>route started: {@code start()} returned, every route running;</li>
 * <li>first decorated exchange: a route decorating a stored account that is not due (its record read once, no token
 * call);</li>
 * <li>first refreshDue done: the first {@code operation=refreshDue} returned (it needs the due accounts: the file
 * store's expiry index, the database's due query, and refreshes them unless the start-up pass does), and, with
 * refreshOnStart, every due account refreshed;</li>
 * <li>heap retained: used heap after forced GC, after all of the above, minus the same before the context.</li>
 * </ul>
 * Seeding writes the documented record format in parallel and is not measured.
 */
final class StartupAtScale {

    static final String PROVIDER = "startup";
    static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private StartupAtScale() {
    }

    static void run() throws Exception {
        int held = Integer.getInteger("bench.startup.accounts", 100_000);
        System.out.println();
        System.out.printf("== 5. start-up with %,d stored accounts under one provider, %d of them due%n", held,
                          StartupSeed.DUE);
        List<String[]> rows = new ArrayList<>();
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-unused").rotateRefreshTokens(true);
        try {
            // JIT and class loading, unreported
            Path warm = Fixtures.tempDir("bench-startup-warmup");
            try {
                StartupSeed.files(warm, PROVIDER, 2_000, tokens, "w");
                measure(warm, null, tokens, false, "warm-up");
            } finally {
                Fixtures.deleteTree(warm);
            }
            rows.addAll(fileStore(held, tokens));
            rows.addAll(h2(held, tokens));
            rows.addAll(postgres(held, tokens));
        } finally {
            tokens.close();
        }
        System.out.println();
        System.out.printf("start-up, %,d stored accounts (times from CamelContext.start()):%n", held);
        String format = "%-24s %-14s %14s %16s %18s %16s %14s%n";
        System.out.printf(format, "store", "refreshOnStart", "route started", "first exchange", "1st refreshDue done",
                          "due refreshed", "heap/account");
        rows.forEach(r -> System.out.printf(format, (Object[]) r));
        System.out.println("(first exchange: a stored account that is not due; 1st refreshDue done: the due accounts"
                           + " known (file: expiry index complete) and refreshed by it or by the start-up pass; due refreshed: every seeded due account"
                           + " holds a new token; heap: retained after forced GC, per stored account)");
    }

    private static List<String[]> fileStore(int held, StrictTokenServer tokens) throws Exception {
        Path dir = Fixtures.tempDir("bench-startup-file");
        try {
            long t0 = System.nanoTime();
            StartupSeed.files(dir, PROVIDER, held, tokens, "a");
            System.out.printf("seeded %,d file records in %.1f s%n", held, (System.nanoTime() - t0) / 1e9);
            List<String[]> rows = new ArrayList<>();
            rows.add(measure(dir, null, tokens, false, "file"));
            StartupSeed.dueFiles(dir, PROVIDER, tokens, "b");
            rows.add(measure(dir, null, tokens, true, "file"));
            return rows;
        } finally {
            Fixtures.deleteTree(dir);
        }
    }

    private static List<String[]> h2(int held, StrictTokenServer tokens) throws Exception {
        Path dir = Fixtures.tempDir("bench-startup-h2");
        try {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:file:" + dir.resolve("tokens") + ";DB_CLOSE_DELAY=-1");
            List<String[]> rows = jdbc(ds, "h2 (file)", held, tokens);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
            return rows;
        } finally {
            Fixtures.deleteTree(dir);
        }
    }

    private static List<String[]> postgres(int held, StrictTokenServer tokens) throws Exception {
        DriverManager.setLoginTimeout(2);
        try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "")) {
            c.isValid(2);
        } catch (Exception e) {
            System.out.println("PostgreSQL not reachable at " + PG_URL + " (" + e.getMessage() + "): skipped");
            return List.of();
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(PG_URL);
        ds.setUser("postgres");
        return jdbc(ds, "postgresql", held, tokens);
    }

    private static List<String[]> jdbc(DataSource ds, String label, int held, StrictTokenServer tokens) throws Exception {
        String table = "bench_startup_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            long t0 = System.nanoTime();
            StartupSeed.rows(ds, table, PROVIDER, held, tokens, "a");
            System.out.printf("seeded %,d rows (%s, table %s) in %.1f s%n", held, label, table,
                              (System.nanoTime() - t0) / 1e9);
            List<String[]> rows = new ArrayList<>();
            rows.add(measure(null, jdbcStore(ds, table), tokens, false, label));
            StartupSeed.dueRows(ds, table, PROVIDER, tokens, "b");
            rows.add(measure(null, jdbcStore(ds, table), tokens, true, label));
            return rows;
        } finally {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    static JdbcTokenStore jdbcStore(DataSource ds, String table) {
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(table);
        store.setCreateTable(true);
        return store;
    }

    /** One start of a new context over the seeded store; the row of figures. */
    private static String[] measure(Path storeDir, TokenStore store, StrictTokenServer tokens, boolean refreshOnStart,
                                    String label) throws Exception {
        Path dir = storeDir != null ? storeDir : Fixtures.tempDir("bench-startup-unused");
        DefaultCamelContext context = Fixtures.context(dir);
        TokenRefreshComponent component = context.getComponent("tokenrefresh", TokenRefreshComponent.class);
        if (store != null) {
            component.getConfiguration().setStore(store);
        }
        String account = StartupSeed.account(StartupSeed.DUE + 1); // fresh: decorated from its record, no token call
        try {
            String declare = Fixtures.provider(PROVIDER, tokens, null, "refreshOnStart=" + refreshOnStart);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to(declare + "&account=" + account);
                    from("direct:due").to("tokenrefresh:" + PROVIDER + "?operation=refreshDue&account=" + account);
                }
            });
            long heapBefore = ManyAccounts.usedHeapAfterGc();
            long t0 = System.nanoTime();
            context.start();
            long routeStarted = System.nanoTime();
            ProducerTemplate template = context.createProducerTemplate();
            Exchange call = template.request("direct:call", e -> {
            });
            long firstExchange = System.nanoTime();
            String header = call.getMessage().getHeader("Authorization", String.class);
            if (call.getException() != null || !("Bearer " + ManyAccounts.accessToken(account)).equals(header)) {
                throw new IllegalStateException("first exchange not decorated from the store: " + call.getException());
            }
            Exchange due = template.request("direct:due", e -> {
            });
            long dueAnswered = System.nanoTime();
            if (due.getException() != null) {
                throw due.getException();
            }
            long dueRefreshed = refreshOnStart ? awaitDueRefreshed(component.getProviders().get(PROVIDER)) : -1;
            long heapAfter = ManyAccounts.usedHeapAfterGc();
            int stored = component.store(PROVIDER).accounts(PROVIDER).size();
            @SuppressWarnings("unchecked")
            RefreshReport report = due.getMessage().getBody(RefreshReport.class);
            System.out.printf("  %s, refreshOnStart=%s: %s%n", label, refreshOnStart, report.isSkipped()
                    ? "refreshDue skipped (a pass was running)"
                    : report.getRefreshed().size() + " refreshed by refreshDue");
            return new String[] { label, String.valueOf(refreshOnStart), ms(routeStarted - t0), ms(firstExchange - t0),
                                  ms(dueAnswered - t0), dueRefreshed < 0 ? "-" : ms(dueRefreshed - t0),
                                  String.format("%.0f B", (double) (heapAfter - heapBefore) / stored) };
        } finally {
            context.stop();
            if (storeDir == null) {
                Fixtures.deleteTree(dir);
            }
        }
    }

    /** Polls (10 ms) until every seeded due account holds a token that is no longer due: the start-up pass's end. */
    private static long awaitDueRefreshed(ProviderTokens provider) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            Instant limit = Instant.now().plusSeconds(15 * 60);
            for (int i = 0; i < StartupSeed.DUE && all; i++) {
                AccountStatus status = provider.status(StartupSeed.account(i));
                all = status != null && status.expiresAt() != null && status.expiresAt().isAfter(limit);
            }
            if (all) {
                return System.nanoTime();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the due accounts were not refreshed within 10 minutes");
    }

    private static String ms(long nanos) {
        return String.format("%,.0f ms", nanos / 1e6);
    }
}
