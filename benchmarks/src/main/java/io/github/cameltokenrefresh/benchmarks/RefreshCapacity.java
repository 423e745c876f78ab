package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.RefreshReport;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Refresh capacity of one scheduled pass (issue 13): N accounts due at once, a token endpoint that answers after
 * 200 ms, refreshConcurrency C. The bound is N × 0.2 s ÷ C (every token call waits out the endpoint, C of them at a
 * time); the targets are a pass within 10% of it and never more than C token calls in flight. The file store, in a
 * temp directory; each run has a context, store and token server of its own.
 * <pre>
 *   -Dbench.capacity.runs=100x4,100x32,10000x32,10000x4   (due x concurrency; the last one takes about 500 s)
 * </pre>
 */
final class RefreshCapacity {

    static final String PROVIDER = "capacity";
    static final Duration ENDPOINT_DELAY = Duration.ofMillis(200);

    private RefreshCapacity() {
    }

    static void run() throws Exception {
        String runs = System.getProperty("bench.capacity.runs", "100x4,100x32,10000x32,10000x4");
        System.out.println();
        System.out.println("== 5a. scheduled pass, all accounts due at once (operation=refreshDue, token endpoint 200 ms,"
                           + " file store on " + storeFileSystem() + ")");
        List<String[]> rows = new ArrayList<>();
        for (String run : runs.split(",")) {
            String[] dueAndConcurrency = run.trim().split("x");
            int due = Integer.parseInt(dueAndConcurrency[0]);
            int concurrency = Integer.parseInt(dueAndConcurrency[1]);
            MachineLoad.Sample load = MachineLoad.Sample.start();
            Pass pass = timedPass(due, concurrency);
            double bound = due * ENDPOINT_DELAY.toMillis() / 1000.0 / concurrency;
            String[] row = { String.format("%,d", due), String.valueOf(concurrency), String.format("%.1f s", bound),
                             String.format("%.1f s", pass.seconds), String.format("%.3f", pass.seconds / bound),
                             String.format("%.1f s", pass.floorSeconds),
                             String.format("%.3f", pass.seconds / pass.floorSeconds),
                             pass.maxInFlight + " / " + concurrency, String.valueOf(pass.tokenCalls),
                             pass.refreshed + " / " + pass.failed,
                             String.format("%.0f%%", load.othersBusyPercent()) };
            System.out.printf("%s due, concurrency %s: bound %s, pass %s (ratio %s), bare HTTP floor %s (pass / floor"
                              + " %s), max in flight %s, token calls %s,"
                              + " refreshed/failed %s, other processes %s%n", (Object[]) row);
            rows.add(row);
        }
        System.out.println();
        System.out.printf("%8s %12s %9s %9s %13s %9s %13s %15s %12s %17s %7s%n", "due", "concurrency", "bound", "pass",
                          "pass / bound", "floor", "pass / floor", "max in flight", "token calls", "refreshed/failed",
                          "others");
        rows.forEach(r -> System.out.printf("%8s %12s %9s %9s %13s %9s %13s %15s %12s %17s %7s%n", (Object[]) r));
        System.out.println("(bound = due x 0.2 s / concurrency; targets: pass / bound <= 1.10, max in flight <="
                           + " concurrency; the pass includes the first read of the store's records to index them)");
        System.out.println("(floor: the same token calls from `concurrency` bare JDK HttpClient threads against the same"
                           + " server right after the pass, min(due, 25 x concurrency) of them scaled to `due`: what"
                           + " this machine's load leaves of the bound; pass / floor is what the component adds)");
    }

    record Pass(double seconds, int maxInFlight, int tokenCalls, int refreshed, int failed, double floorSeconds) {
    }

    /** Seeds {@code due} accounts expiring in 5 minutes (inside the default 10-minute refreshWindow), then one pass. */
    static Pass timedPass(int due, int concurrency) throws Exception {
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-unused").responseDelay(ENDPOINT_DELAY);
        Path storeDir = storeDir();
        DefaultCamelContext context = Fixtures.context(storeDir);
        try {
            Instant now = Instant.now();
            TokenStore store = new FileTokenStore(storeDir);
            SeededAccounts.seed(store, PROVIDER, due, now.minus(Duration.ofMinutes(55)), now.plus(Duration.ofMinutes(5)),
                                tokens);
            String uri = Fixtures.provider(PROVIDER, tokens, null,
                                           "operation=refreshDue&refreshConcurrency=" + concurrency);
            ProducerTemplate template = Fixtures.startWithRefreshDue(context, uri);
            int callsBefore = tokens.tokenCalls();
            long t0 = System.nanoTime();
            Exchange result = template.send("direct:refreshDue", e -> {
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (result.getException() != null) {
                throw result.getException();
            }
            RefreshReport report = result.getMessage().getBody(RefreshReport.class);
            int maxInFlight = tokens.maxTokenCallsInFlight();
            int calls = tokens.tokenCalls() - callsBefore;
            int sample = Math.min(due, 25 * concurrency);
            double floor = EndpointFloor.seconds(tokens, sample, concurrency) * due / sample;
            return new Pass(seconds, maxInFlight, calls, report.getRefreshed().size(),
                            report.getFailed().size(), floor);
        } finally {
            Fixtures.stopQuietly(context, tokens);
            Fixtures.deleteTree(storeDir);
        }
    }

    /** The file store's directory: {@code -Dbench.capacity.storeDir} (e.g. /dev/shm for tmpfs), else a temp dir. */
    static Path storeDir() throws java.io.IOException {
        String parent = System.getProperty("bench.capacity.storeDir");
        return parent == null ? Fixtures.tempDir("bench-capacity")
                : java.nio.file.Files.createTempDirectory(Path.of(parent), "bench-capacity");
    }

    static String storeFileSystem() {
        try {
            Path dir = storeDir();
            try {
                return java.nio.file.Files.getFileStore(dir).type() + " (" + dir.getParent() + ")";
            } finally {
                Fixtures.deleteTree(dir);
            }
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** The provider as the component holds it. */
    static io.github.cameltokenrefresh.token.ProviderTokens provider(DefaultCamelContext context, String name) {
        return context.getComponent("tokenrefresh", TokenRefreshComponent.class).getProviders().get(name);
    }
}
