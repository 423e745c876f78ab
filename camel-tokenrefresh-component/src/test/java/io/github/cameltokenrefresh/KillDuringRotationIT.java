package io.github.cameltokenrefresh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.FaultInjectingTokenProxy;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.testsupport.RefreshLoopMain;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A process that dies: a separate JVM ({@link RefreshLoopMain}) refreshes in a tight loop against a rotating token
 * server that lives in this JVM and saves every rotated refresh token to a {@link FileTokenStore}; this test kills it
 * with SIGKILL ({@link Process#destroyForcibly()}) at random moments, again and again, and after each kill checks that
 * the stored refresh token is still accepted: by asking the server, and then for real, as the next process's first
 * refresh starts from the store.
 * <p>
 * The server is a {@link StrictTokenServer} (strict rotation: a used refresh token is refused with invalid_grant)
 * behind a {@link FaultInjectingTokenProxy} that grants a 30-second grace period for the immediately previous refresh
 * token, as Okta and Auth0 can. A kill that lands between the server's rotation and the store's rename leaves the
 * previous token in the store: the test counts those ("in the window"), proves each one would be lost without the
 * grace period by asking the strict server directly, and proves the grace period saves it. Figures go to stdout and
 * docs/reliability.md.
 * <p>
 * Kill cycles run in two parallel lanes (each its own child, refresh-token chain and store directory) until 50 kills,
 * or 20 kills once a 60-second budget has passed (a slow machine takes longer, never proves less). Tagged
 * {@code kill}: it runs in the normal suite ({@code -DexcludedGroups=kill} skips it, {@code -Dgroups=kill} runs it
 * alone). {@code -Dkilltest.kills}, {@code -Dkilltest.lanes}, {@code -Dkilltest.budgetSeconds} and
 * {@code -Dkilltest.seed} change the defaults.
 */
@Tag("kill")
class KillDuringRotationIT {

    private static final String PROVIDER = "killtest";
    private static final String CLIENT_SECRET = "CLIENT-SECRET-k1ll-5b";
    private static final String BOOTSTRAP = "RT-BOOTSTRAP-k1ll-3f-";
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final int KILLS = Integer.getInteger("killtest.kills", 50);
    /** Kill cycles run in this many parallel lanes, each its own child process, account chain and store directory. */
    private static final int DEFAULT_LANES = 2;
    private static final int LANES = Integer.getInteger("killtest.lanes", DEFAULT_LANES);
    /**
     * Stop starting new kill cycles after this long once MIN_KILLS are done, so a fast machine stops at KILLS and a slow
     * one soon after MIN_KILLS: what is proven is a number of kills, never a speed.
     */
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("killtest.budgetSeconds", 60));
    /** Fewer kills than this proves too little: kill cycles go on past the budget until there are this many. */
    private static final int MIN_KILLS = Math.min(KILLS, 20);
    private static final long SEED = Long.getLong("killtest.seed", System.nanoTime());
    /** The child keeps refreshing for a random 0..MAX_RUN_MS after its first refresh completed, then dies. */
    private static final int MAX_RUN_MS = 150;

    @TempDir
    Path storeRoot;
    @TempDir
    Path logDir;

    private StrictTokenServer server;
    private FaultInjectingTokenProxy proxy;
    private final List<Process> children = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> refreshMicros = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> saveMicros = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> restartMillis = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger kills = new AtomicInteger();
    private final AtomicInteger killsStarted = new AtomicInteger();
    /** The store held a refresh token never used: the kill fell outside the window. */
    private final AtomicInteger current = new AtomicInteger();
    /** The store held the previous one: rotated at the server, not yet renamed into the store. */
    private final AtomicInteger inWindow = new AtomicInteger();
    /** The store held a refresh token the server refuses even with its grace period. */
    private final AtomicInteger lost = new AtomicInteger();
    /** A restarted child whose first refresh from the store failed. */
    private final AtomicInteger firstRefreshFailures = new AtomicInteger();
    private final AtomicInteger probesRefused = new AtomicInteger();
    private final List<Integer> refreshesBeforeKill = Collections.synchronizedList(new ArrayList<>());

    /** Set when the test ends, however it ends: lanes start no further child. */
    private volatile boolean stopped;

    @AfterEach
    void tearDown() {
        stopped = true;
        synchronized (children) {
            children.forEach(Process::destroyForcibly);
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void sigkillAtRandomMomentsNeverLosesTheStoredRefreshToken() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials(RefreshLoopMain.CLIENT_ID, CLIENT_SECRET)
                .rotateRefreshTokens(true).expiresIn(3600L);
        proxy = FaultInjectingTokenProxy.inFrontOf(server).gracePeriod(GRACE);
        long started = System.nanoTime();
        long deadline = started + BUDGET.toNanos();

        ExecutorService lanes = Executors.newFixedThreadPool(LANES);
        List<Future<Void>> results = new ArrayList<>();
        for (int lane = 0; lane < LANES; lane++) {
            int id = lane;
            server.addRefreshToken(BOOTSTRAP + id);
            results.add(lanes.submit(() -> {
                runLane(id, new Random(SEED + id), deadline);
                return null;
            }));
        }
        lanes.shutdown();
        try {
            for (Future<Void> result : results) {
                result.get(290, TimeUnit.SECONDS);
            }
        } finally {
            stopped = true;
            lanes.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        long tmpFiles;
        try (Stream<Path> files = Files.walk(storeRoot)) {
            tmpFiles = files.filter(p -> p.getFileName().toString().contains(".tmp-")).count();
        }
        List<Long> refresh = sorted(refreshMicros);
        List<Long> save = sorted(saveMicros);
        System.out.printf("kill test (seed %d, %d lanes): %d kills in %d ms (restart to first refresh median %d ms, max %d ms); "
                          + "refreshes per run median %d; stored refresh token at the kill: unused %d, previous (in "
                          + "the window, saved by the %ds grace) %d, lost %d; failed first refreshes after restart %d; "
                          + "grace uses %d; leftover temp files %d; warm refresh median %d us p90 %d us, of which save "
                          + "median %d us p90 %d us%n",
                          SEED, LANES, kills.get(), millis, median(sorted(restartMillis)), percentile(sorted(restartMillis), 100),
                          median(sorted(refreshesBeforeKill.stream().map(Long::valueOf).toList())), current.get(),
                          GRACE.toSeconds(), inWindow.get(), lost.get(), firstRefreshFailures.get(), proxy.graceUses(),
                          tmpFiles, median(refresh), percentile(refresh, 90), median(save), percentile(save, 90));
        assertTrue(kills.get() >= MIN_KILLS, kills.get() + " kills; at least " + MIN_KILLS);
        assertEquals(kills.get(), current.get() + inWindow.get() + lost.get());
        assertEquals(0, lost.get(), "refresh tokens lost");
        assertEquals(0, firstRefreshFailures.get(), "every restart refreshed with the stored refresh token");
        assertEquals(inWindow.get(), proxy.graceUses(), "every kill in the window was saved by the grace period");
        assertEquals(inWindow.get(), probesRefused.get(), "without grace every one of them would have been lost");
        assertEquals(probesRefused.get(), server.rejections().size(),
                     () -> "only the direct probes were refused: " + server.rejections());
    }

    /** Kill cycles for one account chain until the kills are done or the budget is spent; then one last check. */
    private void runLane(int lane, Random random, long deadline) throws Exception {
        Path storeDir = storeRoot.resolve("lane" + lane);
        FileTokenStore store = new FileTokenStore(storeDir);
        while (!stopped) {
            boolean last = killsStarted.get() >= KILLS
                           || System.nanoTime() > deadline && killsStarted.get() >= MIN_KILLS;
            long t0 = System.nanoTime();
            Child c = startChild(lane, storeDir);
            String first = c.awaitFirstRefresh(Duration.ofSeconds(30));
            restartMillis.add((System.nanoTime() - t0) / 1_000_000);
            if (!first.startsWith("OK ")) {
                // the refresh token the previous kill left behind was refused: lost; seed a new one to go on
                if (firstRefreshFailures.incrementAndGet() > 3) {
                    fail("restarted processes keep failing their first refresh: " + first + "; see " + logDir);
                }
                c.process.destroyForcibly().waitFor();
                StoredToken stored = store.load(PROVIDER, "default");
                store.save(PROVIDER, "default", Token.ofRefreshToken(server.issueRefreshToken(), Instant.now()),
                           stored == null ? 0 : stored.version());
                continue;
            }
            if (last || killsStarted.incrementAndGet() > KILLS) {
                // this first refresh verified the previous kill; the process ends normally
                c.process.destroy();
                c.process.waitFor(10, TimeUnit.SECONDS);
                return;
            }
            Thread.sleep(random.nextInt(MAX_RUN_MS));
            c.process.destroyForcibly(); // SIGKILL on POSIX: no shutdown hooks, no finally blocks
            assertTrue(c.process.waitFor(10, TimeUnit.SECONDS), "the child died");
            kills.incrementAndGet();
            c.reader.join(5000);
            refreshesBeforeKill.add(c.refreshes);
            // a request the child sent just before dying may still be on its way to the server, which then rotates
            assertTrue(proxy.awaitQuiet(Duration.ofMillis(100), Duration.ofSeconds(10)), "the proxy went quiet");

            String stored = store.load(PROVIDER, "default").token().getRefreshToken();
            if (proxy.acceptsViaGrace(stored)) {
                inWindow.incrementAndGet();
                if (directStatus(stored) == 400) {
                    probesRefused.incrementAndGet(); // the strict server alone refuses it: lost without grace
                }
            } else if (proxy.wasRotatedAway(stored)) {
                lost.incrementAndGet();
            } else {
                current.incrementAndGet();
            }
        }
    }

    /** One child process and the thread reading its protocol lines. */
    private final class Child {
        final Process process;
        final Thread reader;
        final BlockingQueue<String> firstLines = new LinkedBlockingQueue<>();
        volatile int refreshes;

        Child(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "killtest-child-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                              StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("OK ")) {
                        String[] f = line.split(" ");
                        refreshes = Integer.parseInt(f[1]);
                        if (refreshes > 1) { // the first refresh of a fresh JVM runs cold code: not a fair timing
                            refreshMicros.add(Long.parseLong(f[2]));
                            saveMicros.add(Long.parseLong(f[3]));
                        }
                        if (refreshes == 1) {
                            firstLines.add(line);
                        }
                    } else if (line.startsWith("FAIL")) {
                        firstLines.add(line);
                    }
                }
            } catch (IOException e) {
                // killed mid-line
            }
            firstLines.add("EOF");
        }

        String awaitFirstRefresh(Duration timeout) throws InterruptedException {
            String line = firstLines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                fail("the child did not refresh within " + timeout + "; see " + logDir);
            }
            return line;
        }
    }

    private Child startChild(int lane, Path storeDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                                                    "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                                                    RefreshLoopMain.class.getName(), proxy.tokenUrl(server),
                                                    storeDir.toString(), PROVIDER);
        builder.environment().put(RefreshLoopMain.ENV_CLIENT_SECRET, CLIENT_SECRET);
        builder.environment().put(RefreshLoopMain.ENV_REFRESH_TOKEN, BOOTSTRAP + lane);
        builder.redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve("child-stderr-" + lane + ".log").toFile()));
        Process process = builder.start();
        children.add(process);
        return new Child(process);
    }

    /** Asks the strict server directly (no proxy, no grace): the HTTP status for this refresh token. */
    private int directStatus(String refreshToken) throws Exception {
        String basic = Base64.getEncoder().encodeToString(
                (RefreshLoopMain.CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                                                          + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() != 400 || response.body().contains("invalid_grant"), response.body());
        return response.statusCode();
    }

    private static List<Long> sorted(List<Long> values) {
        synchronized (values) {
            return values.stream().sorted().toList();
        }
    }

    private static long median(List<Long> sorted) {
        return percentile(sorted, 50);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
