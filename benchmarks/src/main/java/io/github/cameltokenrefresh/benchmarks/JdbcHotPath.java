package io.github.cameltokenrefresh.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The hot path with the JDBC store (issue 12): the alternating route comparison of part 1b, its provider keeping
 * tokens in a database behind a counted connection pool. Targets: the route ratio against a constant header as with
 * the file store, and no connection taken while the token is fresh (every JVM reports what it took at setup, where
 * the one refresh ran under the lease, and what it took afterwards, over all its sends).
 * <pre>
 *   -Dbench.hotpath.jdbc=h2,postgresql,mariadb   (default: h2)
 * </pre>
 */
final class JdbcHotPath {

    private static final List<String> CONNECTIONS = new ArrayList<>();

    private JdbcHotPath() {
    }

    static void run() throws Exception {
        for (String database : System.getProperty("bench.hotpath.jdbc", "h2").split(",")) {
            BenchDatabases.Database probe = BenchDatabases.open(database, 1);
            if (probe == null) {
                continue;
            }
            probe.close();
            System.out.println();
            System.out.println("== 6b. hot path with the JDBC store on " + database + " (part 1b's alternating routes)");
            CONNECTIONS.clear();
            System.setProperty("bench.hotpath.store", database);
            try {
                Benchmarks.routeAlternating();
            } finally {
                System.clearProperty("bench.hotpath.store");
            }
            System.out.printf("%-5s %22s %34s %26s%n", "JVM", "connections at setup", "connections after setup (target 0)",
                              "tokenrefresh route sends");
            CONNECTIONS.forEach(System.out::println);
        }
    }

    /** A child JVM's "CONNECTIONS atSetup afterSetup sends" line. */
    static synchronized void record(int jvm, String line) {
        String[] f = line.split(" ");
        CONNECTIONS.add(String.format("%-5d %22s %34s %,26d", jvm, f[1], f[2], Long.parseLong(f[3])));
    }
}
