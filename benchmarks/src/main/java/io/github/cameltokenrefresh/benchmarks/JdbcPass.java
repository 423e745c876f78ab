package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.RefreshReport;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A scheduled pass over accounts kept in a database (issue 12): 10,000 rows, all due (expiring in 5 minutes, inside
 * the 10-minute refreshWindow). The pass asks the database what is due (one query on the expiry column) and refreshes
 * each account under its lease, refreshConcurrency at a time, against a token endpoint that takes 200 ms. Reported:
 * the due query alone, the pass against its bound (due x 0.2 s / concurrency) and a bare-HTTP floor, connections per
 * refresh, and a pass with nothing due.
 * <pre>
 *   -Dbench.jdbcpass.accounts=10000 -Dbench.jdbcpass.concurrency=32
 * </pre>
 */
final class JdbcPass {

    static final String PROVIDER = "dbpass";

    private JdbcPass() {
    }

    static void run() throws Exception {
        int n = Integer.getInteger("bench.jdbcpass.accounts", 10_000);
        int concurrency = Integer.getInteger("bench.jdbcpass.concurrency", 32);
        System.out.println();
        System.out.printf("== 6d. scheduled pass over %,d due accounts in the database (token endpoint 200 ms,"
                          + " refreshConcurrency=%d, a HikariCP pool of %d)%n", n, concurrency, concurrency + 4);
        List<String> rows = new ArrayList<>();
        for (String name : BenchDatabases.names()) {
            try (BenchDatabases.Database db = BenchDatabases.open(name, concurrency + 4)) {
                if (db != null) {
                    rows.add(pass(db, n, concurrency));
                }
            }
        }
        System.out.println();
        System.out.printf("%-11s %9s %11s %9s %9s %7s %9s %7s %10s %13s %11s %7s%n", "database", "seeding", "due query",
                          "bound", "pass", "/bound", "floor", "/floor", "in flight", "conn/refresh", "0-due pass",
                          "others");
        rows.forEach(System.out::println);
        System.out.println("(due query: accountsExpiringBefore(now + refreshWindow), median of 3, all rows due; floor: "
                           + "EndpointFloor, the same token calls from bare HTTP threads; 0-due pass: median of 3)");
    }

    static String pass(BenchDatabases.Database db, int n, int concurrency) throws Exception {
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-unused").responseDelay(RefreshCapacity.ENDPOINT_DELAY);
        Path dir = Fixtures.tempDir("bench-dbpass");
        DefaultCamelContext context = Fixtures.context(dir);
        try {
            CountingDataSource ds = db.firstPool();
            JdbcTokenStore store = db.store(ds, "bench-pass");
            Instant now = Instant.now();
            long s0 = System.nanoTime();
            SeededAccounts.seed(store, PROVIDER, n, now.minus(Duration.ofMinutes(55)), now.plus(Duration.ofMinutes(5)),
                                tokens);
            double seeding = (System.nanoTime() - s0) / 1e9;
            List<Double> queries = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long q0 = System.nanoTime();
                int due = store.accountsExpiringBefore(PROVIDER, Instant.now().plus(Duration.ofMinutes(10))).size();
                queries.add((System.nanoTime() - q0) / 1e9);
                if (due != n) {
                    throw new IllegalStateException(db.name + ": due query found " + due + " of " + n);
                }
            }
            context.getComponent("tokenrefresh", TokenRefreshComponent.class).getConfiguration().setStore(store);
            String uri = Fixtures.provider(PROVIDER, tokens, null,
                                           "operation=refreshDue&refreshConcurrency=" + concurrency);
            ProducerTemplate template = Fixtures.startWithRefreshDue(context, uri);
            MachineLoad.Sample load = MachineLoad.Sample.start();
            long c0 = ds.connections();
            long t0 = System.nanoTime();
            int refreshed = refreshed(template, db.name);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long connections = ds.connections() - c0;
            double others = load.othersBusyPercent();
            if (refreshed != n || tokens.tokenCalls() != n) {
                throw new IllegalStateException(db.name + ": pass refreshed " + refreshed + " with "
                                                + tokens.tokenCalls() + " token calls, expected " + n);
            }
            int maxInFlight = tokens.maxTokenCallsInFlight();
            int sample = Math.min(n, 25 * concurrency);
            double floor = EndpointFloor.seconds(tokens, sample, concurrency) * n / sample;
            List<Double> idle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long i0 = System.nanoTime();
                if (refreshed(template, db.name) != 0) {
                    throw new IllegalStateException(db.name + ": a second pass found accounts due");
                }
                idle.add((System.nanoTime() - i0) / 1e9);
            }
            double bound = n * 0.2 / concurrency;
            String row = String.format("%-11s %8.1fs %9.1fms %8.1fs %8.1fs %7.3f %8.1fs %7.3f %10s %13.2f %9.1fms %6.0f%%",
                                       db.name, seeding, median(queries) * 1e3, bound, seconds, seconds / bound, floor,
                                       seconds / floor, maxInFlight + "/" + concurrency, (double) connections / n,
                                       median(idle) * 1e3, others);
            System.out.println(row);
            return row;
        } finally {
            Fixtures.stopQuietly(context, tokens);
            Fixtures.deleteTree(dir);
        }
    }

    private static int refreshed(ProducerTemplate template, String db) throws Exception {
        Exchange result = template.send("direct:refreshDue", e -> {
        });
        if (result.getException() != null) {
            throw result.getException();
        }
        RefreshReport report = result.getMessage().getBody(RefreshReport.class);
        if (!report.getFailed().isEmpty()) {
            throw new IllegalStateException(db + ": pass failures " + report.getFailed());
        }
        return report.getRefreshed().size();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
