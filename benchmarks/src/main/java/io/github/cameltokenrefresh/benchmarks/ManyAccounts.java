package io.github.cameltokenrefresh.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.ProviderTokens;
import io.github.cameltokenrefresh.token.RefreshReport;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Many accounts under one provider:
 * <ol>
 * <li>the cost of a scheduled pass ({@code tokenrefresh:<p>?operation=refreshDue}) as the number of accounts held grows
 * (1k, 10k, 100k) while the number due stays at 100;</li>
 * <li>heap per account, by forced GC before and after: file store (default) once indexed and once used, and the memory
 * store;</li>
 * <li>the cost of persisting one rotated token in the file store at 1k, 10k and 100k stored accounts, on the real
 * disk and on tmpfs (where fsync is free, leaving the store's own work).</li>
 * </ol>
 * Stores are seeded by writing records in the documented file format (docs/stores.md) without fsync: seeding 100k
 * accounts through FileTokenStore.save would take 200k fsyncs.
 */
final class ManyAccounts {

    static final int[] HELD = { 1_000, 10_000, 100_000 };
    static final int DUE = 100;
    static final int WARM_PASSES = 3;
    static final int SAVES = 200;
    static final String PROVIDER = "many";
    static final java.nio.file.attribute.FileAttribute<?> OWNER_FILE
            = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private ManyAccounts() {
    }

    static void run() throws Exception {
        System.out.println();
        System.out.printf("== 4. many accounts under one provider (file store unless said otherwise), %d due per pass%n", DUE);
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-unused").rotateRefreshTokens(true);
        List<String[]> passRows = new ArrayList<>();
        List<String[]> saveRows = new ArrayList<>();
        double heapIndexed = Double.NaN;
        double heapLoaded = Double.NaN;
        Path shm = Path.of("/dev/shm");
        try {
            // JIT and class loading, unreported: the first measured size would otherwise pay for them
            Path warm = Fixtures.tempDir("bench-many-warmup");
            try {
                scheduledPasses(warm, seed(warm, 1_000, DUE, Instant.now(), tokens), tokens, new long[3]);
            } finally {
                Fixtures.deleteTree(warm);
            }
            for (int held : HELD) {
                Path storeDir = Fixtures.tempDir("bench-many-" + held);
                try {
                    Instant now = Instant.now();
                    List<String> accounts = seed(storeDir, held, DUE, now, tokens);
                    long[] heap = new long[3];
                    double[] passes = scheduledPasses(storeDir, accounts, tokens, heap);
                    passRows.add(new String[] { String.format("%,d", held), ms(passes[0]), ms(passes[1]), ms(passes[2]),
                                                String.format("%.2f µs", passes[1] * 1e6 / held),
                                                String.format("%.2f ms", (passes[2] - passes[1]) * 1e3 / DUE) });
                    if (held == HELD[HELD.length - 1]) {
                        heapIndexed = (double) (heap[1] - heap[0]) / held;
                        heapLoaded = (double) (heap[2] - heap[0]) / held;
                    }
                    saveRows.add(saves(storeDir, accounts, held, "disk (" + fsType(storeDir) + ")"));
                } finally {
                    Fixtures.deleteTree(storeDir);
                }
                if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                    Path tmpfs = Files.createTempDirectory(shm, "bench-many-" + held);
                    try {
                        List<String> accounts = seed(tmpfs, held, 0, Instant.now(), null);
                        saveRows.add(saves(tmpfs, accounts, held, "tmpfs"));
                    } finally {
                        Fixtures.deleteTree(tmpfs);
                    }
                }
            }
        } finally {
            tokens.close();
        }

        System.out.println();
        System.out.println("scheduled pass (operation=refreshDue), wall time:");
        System.out.printf("%10s %24s %18s %20s %18s %22s%n", "held", "cold: 1st pass, 100 due", "warm pass, 0 due",
                          "warm pass, 100 due", "0-due pass / held", "(100-due - 0-due)/100");
        passRows.forEach(r -> System.out.printf("%10s %24s %18s %20s %18s %22s%n", (Object[]) r));
        System.out.println("(medians of " + WARM_PASSES + " warm passes; the refresh of a due account is one token call"
                           + " plus one FileTokenStore.save, i.e. two fsyncs)");
        System.out.println("(target: grows with the number due, not the number held)");

        System.out.println();
        System.out.printf("heap per held account, file store, %,d accounts (forced GC before/after): %.0f bytes once the"
                          + " first pass has seen them, %.0f bytes once each has been used (token in memory)%n",
                          HELD[HELD.length - 1], heapIndexed, heapLoaded);
        memoryStoreHeap(100_000);

        System.out.println();
        System.out.printf("persisting one rotated token, FileTokenStore.save (%d saves of random accounts):%n", SAVES);
        System.out.printf("%10s %16s %12s %12s %12s%n", "stored", "file system", "p50", "p90", "p99");
        saveRows.forEach(r -> System.out.printf("%10s %16s %12s %12s %12s%n", (Object[]) r));
        System.out.println("(target: does not grow with the number stored)");
    }

    // ------------------------------------------------------------------------------------------ scheduled pass

    /**
     * One context per size: a cold pass (every stored account loaded for the first time, 100 due in the store), then
     * warm passes with nothing due, then warm passes after invalidating 100 random accounts (due: no access token).
     *
     * @return {cold seconds, median warm 0-due seconds, median warm 100-due seconds}
     */
    // heap[0] before the first pass, heap[1] after it (every stored account known to the provider), heap[2] after
    // every account was used once (optional: heap.length > 2). Warm passes then run with all accounts in memory.
    static double[] scheduledPasses(Path storeDir, List<String> accounts, StrictTokenServer tokens, long[] heap)
            throws Exception {
        DefaultCamelContext context = Fixtures.context(storeDir);
        try {
            String uri = Fixtures.provider(PROVIDER, tokens, null, "operation=refreshDue");
            ProducerTemplate template = Fixtures.startWithRefreshDue(context, uri);
            Endpoint pass = context.getEndpoint("direct:refreshDue");
            ProviderTokens provider = context.getComponent("tokenrefresh", TokenRefreshComponent.class).getProviders().get(PROVIDER);

            heap[0] = usedHeapAfterGc();
            double cold = timedPass(template, pass, DUE, accounts.size());
            heap[1] = usedHeapAfterGc();
            if (heap.length > 2) { // every account in use: its token source and token in memory
                for (String a : accounts) {
                    provider.account(a).token();
                }
                heap[2] = usedHeapAfterGc();
            }

            List<Double> idle = new ArrayList<>();
            for (int i = 0; i < WARM_PASSES; i++) {
                idle.add(timedPass(template, pass, 0, accounts.size()));
            }
            List<Double> due = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < WARM_PASSES; i++) {
                for (String a : pick(accounts, DUE, random)) {
                    provider.account(a).invalidate();
                }
                due.add(timedPass(template, pass, DUE, accounts.size()));
            }
            return new double[] { cold, median(idle), median(due) };
        } finally {
            context.stop();
        }
    }

    private static double timedPass(ProducerTemplate template, Endpoint pass, int expectRefreshed, int held)
            throws Exception {
        long t0 = System.nanoTime();
        Exchange result = template.send(pass, e -> {
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (result.getException() != null) {
            throw result.getException();
        }
        @SuppressWarnings("unchecked")
        RefreshReport report = result.getMessage().getBody(RefreshReport.class);
        int refreshed = report.getRefreshed().size();
        int failed = report.getFailed().size();
        if (refreshed != expectRefreshed || failed != 0) {
            throw new IllegalStateException("pass over " + held + " accounts: expected " + expectRefreshed
                                            + " refreshed, got " + refreshed + " refreshed and " + failed + " failed: "
                                            + report.getFailed());
        }
        return seconds;
    }

    // ------------------------------------------------------------------------------------------ persisting

    /** SAVES saves of one rotated token each, to random accounts of a store holding {@code held} records. */
    static String[] saves(Path storeDir, List<String> accounts, int held, String fs) {
        FileTokenStore store = new FileTokenStore(storeDir);
        Random random = new Random(7);
        Latencies latencies = new Latencies();
        Instant now = Instant.now();
        for (int i = 0; i < SAVES + 20; i++) {
            String account = accounts.get(random.nextInt(accounts.size()));
            StoredToken current = store.load(PROVIDER, account);
            Token rotated = Token.builder().accessToken("at-" + i + "-" + account).refreshToken("rt-" + i + "-" + account)
                    .tokenType("Bearer").issuedAt(now).expiresAt(now.plusSeconds(3600)).build();
            long t0 = System.nanoTime();
            store.save(PROVIDER, account, rotated, current.version());
            long took = System.nanoTime() - t0;
            if (i >= 20) { // the first ones warm up the code
                latencies.record(took);
            }
        }
        Latencies sorted = Latencies.merge(List.of(latencies));
        return new String[] { String.format("%,d", held), fs, Latencies.ms(sorted.percentile(50)),
                              Latencies.ms(sorted.percentile(90)), Latencies.ms(sorted.percentile(99)) };
    }

    // ------------------------------------------------------------------------------------------ heap

    /** The memory store: heap of the records alone, and of the records plus their loaded token sources. */
    static void memoryStoreHeap(int n) throws Exception {
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-unused");
        Path storeDir = Fixtures.tempDir("bench-mem");
        DefaultCamelContext context = Fixtures.context(storeDir);
        MemoryTokenStore store = new MemoryTokenStore();
        context.getComponent("tokenrefresh", TokenRefreshComponent.class).getConfiguration().setStore(store);
        try {
            String uri = Fixtures.provider("mem", tokens, null, "operation=refreshDue");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:refreshDue").to(uri);
                }
            });
            context.start();
            ProviderTokens provider = context.getComponent("tokenrefresh", TokenRefreshComponent.class).getProviders().get("mem");
            Instant now = Instant.now();
            long h0 = usedHeapAfterGc();
            for (int i = 0; i < n; i++) {
                String account = account(i);
                store.save("mem", account, Token.builder().accessToken(accessToken(account))
                        .refreshToken(refreshToken(account)).tokenType("Bearer").issuedAt(now)
                        .expiresAt(now.plusSeconds(3600)).build(), 0);
            }
            long h1 = usedHeapAfterGc();
            for (int i = 0; i < n; i++) {
                provider.account(account(i)).token();
            }
            long h2 = usedHeapAfterGc();
            System.out.printf("heap per account, memory store (%,d accounts): records %.0f bytes + loaded token source"
                              + " %.0f bytes = %.0f bytes (tokens of %d + %d characters)%n", n, (double) (h1 - h0) / n,
                              (double) (h2 - h1) / n, (double) (h2 - h0) / n, accessToken(account(0)).length(),
                              refreshToken(account(0)).length());
        } finally {
            Fixtures.stopQuietly(context, tokens);
            Fixtures.deleteTree(storeDir);
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------ seeding

    static String account(int i) {
        return String.format("customer-%06d", i);
    }

    /** 43 characters, the size of a typical opaque access token (32 random bytes, base64url). */
    static String accessToken(String account) {
        return ("at-" + account + "-0123456789abcdefghijklmnopqrstuvwxyz").substring(0, 43);
    }

    static String refreshToken(String account) {
        return ("rt-" + account + "-0123456789abcdefghijklmnopqrstuvwxyz").substring(0, 43);
    }

    /**
     * Writes {@code held} records in the documented format: all fresh (issued now, 1 h lifetime) except the first
     * {@code due}, which expire in 2 minutes (inside the default 10-minute refreshWindow). The server accepts every
     * seeded refresh token.
     */
    static List<String> seed(Path storeDir, int held, int due, Instant now, StrictTokenServer tokens) throws IOException {
        Path dir = storeDir.resolve(PROVIDER);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<String> accounts = new ArrayList<>(held);
        for (int i = 0; i < held; i++) {
            String account = account(i);
            accounts.add(account);
            boolean isDue = i < due;
            Instant issued = isDue ? now.minusSeconds(58 * 60) : now;
            Instant expires = isDue ? now.plusSeconds(120) : now.plusSeconds(3600);
            String json = "{\n  \"format\" : 1,\n  \"provider\" : \"" + PROVIDER + "\",\n  \"account\" : \"" + account
                          + "\",\n  \"version\" : 1,\n  \"access_token\" : \"" + accessToken(account)
                          + "\",\n  \"refresh_token\" : \"" + refreshToken(account)
                          + "\",\n  \"token_type\" : \"Bearer\",\n  \"scope\" : null,\n  \"issued_at\" : \"" + issued
                          + "\",\n  \"expires_at\" : \"" + expires + "\",\n  \"additional\" : { }\n}";
            // owner-only, as the store writes them: the provider refuses a store others can read
            Files.write(Files.createFile(dir.resolve(account + ".json"), OWNER_FILE), json.getBytes(StandardCharsets.UTF_8));
            if (tokens != null) {
                tokens.addRefreshToken(refreshToken(account));
            }
        }
        return accounts;
    }

    private static List<String> pick(List<String> accounts, int n, Random random) {
        List<String> copy = new ArrayList<>(accounts);
        Collections.shuffle(copy, random);
        return copy.subList(0, n);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String ms(double seconds) {
        return String.format("%.1f ms", seconds * 1e3);
    }

    private static String fsType(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "?";
        }
    }
}
