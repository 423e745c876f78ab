package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.Token;

/**
 * What the refresh lease costs per refresh (issue 12), on each database: taking the lease (one conditional UPDATE
 * that also re-reads the row: the lease carries the record as it was), then the fenced save that releases it, exactly
 * the two store calls a refresh makes around its token call; against the file store's persistence of a refresh (read
 * the record for its version, save: a temporary file, fsync, rename, fsync the directory). 100 stored accounts, 200
 * refreshes of random ones after 20 unmeasured, through a HikariCP pool of 4.
 */
final class LeaseCost {

    static final String PROVIDER = "lease";
    static final int ACCOUNTS = 100;
    static final int SAVES = Integer.getInteger("bench.lease.saves", 200);
    static final int WARMUP = 20;

    private LeaseCost() {
    }

    static void run() throws Exception {
        System.out.println();
        System.out.printf("== 6a. lease cost per refresh: acquire (re-reads the row) + fenced save and release, %d"
                          + " refreshes of random accounts among %d%n", SAVES, ACCOUNTS);
        List<String[]> rows = new ArrayList<>();
        try (StrictTokenServer tokens = Fixtures.oauth2Server("rt-unused")) {
            for (String name : BenchDatabases.names()) {
                try (BenchDatabases.Database db = BenchDatabases.open(name, 4)) {
                    if (db != null) {
                        rows.add(jdbc(db, tokens));
                    }
                }
            }
            rows.add(file(Fixtures.tempDir("bench-lease-file"), "file store, " + fsType(Path.of("/tmp")), tokens));
            Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                rows.add(file(Files.createTempDirectory(shm, "bench-lease-file"), "file store, tmpfs", tokens));
            }
        }
        System.out.println();
        System.out.printf("%-22s %26s %26s %28s %12s %8s%n", "store", "acquire p50 / p99", "save+release p50 / p99",
                          "per refresh p50/p90/p99", "connections", "others");
        rows.forEach(r -> System.out.printf("%-22s %26s %26s %28s %12s %8s%n", (Object[]) r));
        System.out.println("(per refresh: the store's part of one refresh, the token call left out; file store: load +"
                           + " save, its lease is in the JVM; connections: taken from the pool per refresh)");
    }

    static String[] jdbc(BenchDatabases.Database db, StrictTokenServer tokens) throws Exception {
        CountingDataSource ds = db.firstPool();
        JdbcTokenStore store = db.store(ds, "bench-lease");
        Instant now = Instant.now();
        List<String> accounts = SeededAccounts.seed(store, PROVIDER, ACCOUNTS, now, now.plusSeconds(3600), tokens);
        Random random = new Random(12);
        Latencies acquire = new Latencies();
        Latencies save = new Latencies();
        Latencies total = new Latencies();
        MachineLoad.Sample load = MachineLoad.Sample.start();
        long connections = 0;
        for (int i = 0; i < SAVES + WARMUP; i++) {
            String account = accounts.get(random.nextInt(accounts.size()));
            long c0 = ds.connections();
            long t0 = System.nanoTime();
            RefreshLease lease = store.acquire(PROVIDER, account, "bench-lease", Duration.ofSeconds(60),
                                               Duration.ofSeconds(5));
            long t1 = System.nanoTime();
            if (lease == null || lease.current() == null) {
                throw new IllegalStateException(db.name + ": lease not granted or record not re-read for " + account);
            }
            store.saveAndRelease(lease, rotated(i, account, now));
            long t2 = System.nanoTime();
            if (i >= WARMUP) {
                acquire.record(t1 - t0);
                save.record(t2 - t1);
                total.record(t2 - t0);
                connections += ds.connections() - c0;
            }
        }
        return row(db.name, acquire, save, total, String.format("%.1f", (double) connections / SAVES),
                   load.othersBusyPercent());
    }

    static String[] file(Path dir, String label, StrictTokenServer tokens) throws Exception {
        try {
            FileTokenStore store = new FileTokenStore(dir);
            Instant now = Instant.now();
            List<String> accounts = SeededAccounts.seed(store, PROVIDER, ACCOUNTS, now, now.plusSeconds(3600), tokens);
            Random random = new Random(12);
            Latencies load = new Latencies();
            Latencies save = new Latencies();
            Latencies total = new Latencies();
            MachineLoad.Sample machine = MachineLoad.Sample.start();
            for (int i = 0; i < SAVES + WARMUP; i++) {
                String account = accounts.get(random.nextInt(accounts.size()));
                long t0 = System.nanoTime();
                StoredToken current = store.load(PROVIDER, account);
                long t1 = System.nanoTime();
                store.save(PROVIDER, account, rotated(i, account, now), current.version());
                long t2 = System.nanoTime();
                if (i >= WARMUP) {
                    load.record(t1 - t0);
                    save.record(t2 - t1);
                    total.record(t2 - t0);
                }
            }
            String[] row = row(label, load, save, total, "-", machine.othersBusyPercent());
            row[1] = "load " + row[1];
            row[2] = "save " + row[2];
            return row;
        } finally {
            Fixtures.deleteTree(dir);
        }
    }

    private static Token rotated(int i, String account, Instant now) {
        return Token.builder().accessToken("at-" + i + "-" + account).refreshToken("rt-" + i + "-" + account)
                .tokenType("Bearer").issuedAt(now).expiresAt(now.plusSeconds(3600)).build();
    }

    private static String[] row(String label, Latencies first, Latencies second, Latencies total, String connections,
                                double others) {
        Latencies a = Latencies.merge(List.of(first));
        Latencies b = Latencies.merge(List.of(second));
        Latencies t = Latencies.merge(List.of(total));
        return new String[] { label, Latencies.ms(a.percentile(50)) + " / " + Latencies.ms(a.percentile(99)),
                              Latencies.ms(b.percentile(50)) + " / " + Latencies.ms(b.percentile(99)),
                              Latencies.ms(t.percentile(50)) + " / " + Latencies.ms(t.percentile(90)) + " / "
                                                                             + Latencies.ms(t.percentile(99)),
                              connections, String.format("%.0f%%", others) };
    }

    private static String fsType(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
