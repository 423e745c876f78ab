package io.github.cameltokenrefresh.store.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.testing.FaultInjectingTokenProxy;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL of the lease holder ({@link Process#destroyForcibly()}), a {@link LeaseHolderMain} in a JVM of its own, at
 * the three moments that matter: holding the lease before sending the refresh token; during the token call (the
 * server holds the call until the holder is dead, then rotates for nobody); after the provider rotated and answered,
 * before the save. Each time a successor in this JVM takes the expired lease over, is told it was interrupted (the
 * WARN line and the interruptedLeases count), and refreshes from the store.
 * <p>
 * The token endpoint is a strict rotating {@link StrictTokenServer} behind a {@link FaultInjectingTokenProxy} with a
 * 30-second grace period for the previous refresh token, as Okta and Auth0 can have. Every token call is checked as
 * it arrives: under a held lease, by a fence no other call had. After every kill the test counts whether the stored
 * refresh token was still unspent (recovered by any provider) or already rotated away (lost without a grace period;
 * the grace period recovers it): the rotation window a lease cannot close, printed as figures (docs/replicas.md).
 * <p>
 * The lease of a killed holder expires by the database clock 4 s after its last renewal; rather than wait, the test
 * moves the row's lease times an hour back, as if that time had passed (LeaseTakeoverKillIT waits for real).
 * {@code -Dleasekill.rounds} (default 1) repeats the three moments. Tagged {@code kill} as the file-store kill test.
 */
@Tag("kill")
class LeaseHolderKillIT {

    private static final String CLIENT_SECRET = "lease-kill-secret-1";
    private static final int ROUNDS = Integer.getInteger("leasekill.rounds", 1);

    enum Moment {
        BEFORE_CALL("before-call"),
        DURING_CALL("during-call"),
        BEFORE_SAVE("before-save");

        final String argument;

        Moment(String argument) {
            this.argument = argument;
        }
    }

    @TempDir
    Path dir;

    private final List<Process> children = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void killedLeaseHoldersAreTakenOverAndOnlyTheRotationWindowRemains(TestDatabases database) throws Exception {
        String table = TestDatabases.newTableName();
        TestDatabases.Shared shared = database.sharedAcrossJvms(dir);
        DataSource ds = shared.dataSource();
        Connection keeper = database == TestDatabases.H2 ? ds.getConnection() : null;
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(table);
        store.setCreateTable(true);
        List<Long> callFences = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<CountDownLatch[]> holdNextCall = new AtomicReference<>();
        DefaultCamelContext successor = null;
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                .clientCredentials(ReplicaRotationIT.CLIENT_ID, CLIENT_SECRET).addRefreshToken("rt-0")
                .rotateRefreshTokens(true).expiresIn(3600L)
                .beforeEachTokenCall(request -> {
                    RefreshLease holder = store.holder("p", "default");
                    callFences.add(holder == null ? -1 : holder.fence());
                    CountDownLatch[] hold = holdNextCall.getAndSet(null);
                    if (hold != null) {
                        hold[0].countDown(); // arrived
                        awaitQuietly(hold[1]); // until the holder is dead
                    }
                });
             FaultInjectingTokenProxy proxy = FaultInjectingTokenProxy.inFrontOf(server)
                     .gracePeriod(Duration.ofSeconds(30))) {
            store.save("p", "default", Token.ofRefreshToken("rt-0", Instant.now()), 0);
            String tokenUrl = proxy.tokenUrl(server);
            successor = successor(store, tokenUrl, CLIENT_SECRET);

            List<Moment> plan = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                plan.addAll(List.of(Moment.values()));
            }
            // all holders start at once (JVM start is the slow part), each waits for its GO
            List<Child> holders = new ArrayList<>();
            for (Moment moment : plan) {
                holders.add(startChild(shared.argument(), table, tokenUrl, moment));
            }
            Map<Moment, int[]> figures = new EnumMap<>(Moment.class); // kills, spent at the kill, recovered
            int interrupted = 0;
            for (int k = 0; k < plan.size(); k++) {
                Moment moment = plan.get(k);
                Child holder = holders.get(k);
                holder.await("READY");
                int rotationsBefore = server.successfulRefreshes();
                CountDownLatch arrived = new CountDownLatch(1);
                CountDownLatch dead = new CountDownLatch(1);
                if (moment == Moment.DURING_CALL) {
                    holdNextCall.set(new CountDownLatch[] { arrived, dead });
                }
                holder.send("GO");
                assertTrue(holder.await("LEASE ").startsWith("LEASE "));
                if (moment == Moment.DURING_CALL) {
                    assertTrue(arrived.await(60, TimeUnit.SECONDS), "the holder's token call arrived");
                } else {
                    holder.await("PAUSED");
                }
                holder.process.destroyForcibly(); // SIGKILL: no finally, no shutdown hook, no release
                assertTrue(holder.process.waitFor(10, TimeUnit.SECONDS), "the holder died");
                dead.countDown();
                // a call whose client died is still answered upstream: wait until nothing moves
                assertTrue(proxy.awaitQuiet(Duration.ofMillis(100), Duration.ofSeconds(20)), "the proxy went quiet");
                assertEquals(moment == Moment.BEFORE_CALL ? rotationsBefore : rotationsBefore + 1,
                             server.successfulRefreshes(), moment + ": the provider rotated only once it was called");

                String stored = store.load("p", "default").token().getRefreshToken();
                boolean spent = !stored.equals(server.currentRefreshToken());
                assertEquals(moment != Moment.BEFORE_CALL, spent, moment + ": the stored refresh token was spent");
                if (spent) {
                    assertTrue(proxy.acceptsViaGrace(stored), moment + ": within the provider's grace period");
                }
                int[] f = figures.computeIfAbsent(moment, m -> new int[3]);
                f[0]++;
                f[1] += spent ? 1 : 0;

                expireLease(ds, table);
                String log;
                try (LogCapture capture = new LogCapture()) {
                    successor.createProducerTemplate().requestBody("tokenrefresh:p?operation=refresh", "");
                    log = capture.text();
                }
                interrupted++;
                // killed before its call, the holder had not renewed to send: the store cannot tell; after, it can
                assertTrue(log.contains("the previous refresh lease was never released")
                           && log.contains(moment == Moment.BEFORE_CALL ? "the stored refresh token may already be spent"
                                   : "the stored refresh token is most likely spent"),
                           moment + ": the successor says the lease was interrupted");
                assertEquals(interrupted, component(successor).tokens("p").status("default").interruptedLeases());
                assertEquals(server.currentRefreshToken(), store.load("p", "default").token().getRefreshToken(),
                             moment + ": the successor saved the provider's current refresh token");
                f[2]++;
            }

            List<Long> fences = List.copyOf(callFences);
            assertEquals(server.tokenCalls(), fences.size());
            assertTrue(fences.stream().allMatch(fence -> fence > 0), "every token call under a held lease: " + fences);
            assertEquals(fences.size(), new HashSet<>(fences).size(), "never two token calls in one lease: " + fences);
            assertEquals(List.of(), server.rejections(), "nothing refused: the grace period covered the window");
            StringBuilder summary = new StringBuilder(database + ": lease holder SIGKILLed " + plan.size()
                                                      + " times, " + fences.size() + " token calls in "
                                                      + fences.size() + " distinct leases;");
            figures.forEach((moment, f) -> summary.append(' ').append(moment.argument).append(": ").append(f[0])
                    .append(" kills, ").append(f[1]).append(" left a spent refresh token (lost without a grace period, ")
                    .append("recovered by the 30 s grace), ").append(f[2]).append(" taken over with the interrupted-")
                    .append("lease warning;"));
            summary.append(" grace uses ").append(proxy.graceUses());
            assertEquals(figures.values().stream().mapToInt(f -> f[1]).sum(), proxy.graceUses());
            System.out.println(summary);
        } finally {
            children.forEach(Process::destroyForcibly);
            if (successor != null) {
                successor.stop();
            }
            TestDatabases.dropTable(ds, table);
            if (keeper != null) {
                keeper.close();
            }
        }
    }

    /** A context whose provider {@code p} shares the store: the replica that takes over a killed holder's lease. */
    static DefaultCamelContext successor(JdbcTokenStore store, String tokenUrl, String clientSecret) {
        TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
        provider.setTokenUrl(tokenUrl);
        provider.setInsecureHttp(true);
        provider.setClientId(ReplicaRotationIT.CLIENT_ID);
        provider.setClientSecret(clientSecret);
        provider.setStore(store);
        DefaultCamelContext context = new DefaultCamelContext();
        context.addComponent("tokenrefresh", new TokenRefreshComponent());
        context.getRegistry().bind("p", provider);
        context.start();
        return context;
    }

    static TokenRefreshComponent component(DefaultCamelContext context) {
        return context.getComponent("tokenrefresh", TokenRefreshComponent.class);
    }

    /** As if the killed holder's hold and grace had passed by the database clock. */
    private static void expireLease(DataSource ds, String table) {
        TestDatabases.execute(ds, "UPDATE " + table + " SET lease_started = lease_started - 3600000,"
                                  + " lease_until = lease_until - 3600000 WHERE provider = 'p' AND account = 'default'"
                                  + " AND lease_owner IS NOT NULL");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Child startChild(String database, String table, String tokenUrl, Moment moment) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                             "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx128m",
                                             "-cp", System.getProperty("java.class.path"),
                                             LeaseHolderMain.class.getName(), database, table, tokenUrl, CLIENT_SECRET,
                                             moment.argument)
                .redirectError(dir.resolve("holder-" + children.size() + ".err").toFile()).start();
        children.add(process);
        return new Child(process);
    }

    /** The lines a child process prints, read on a daemon thread, then "EOF" once it ends or is killed. */
    static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                              StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // killed
            }
            lines.add("EOF");
        }, "lease-holder-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** One holder process and its protocol lines. */
    private static final class Child {
        final Process process;
        final BlockingQueue<String> lines;

        Child(Process process) {
            this.process = process;
            this.lines = lines(process);
        }

        void send(String line) throws IOException {
            OutputStream out = process.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The first line starting with {@code prefix}; fails on EOF or after a minute. */
        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    continue;
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                assertTrue(!line.equals("EOF") && !line.startsWith("DONE"), "expected " + prefix + ", got " + line);
            }
            throw new AssertionError("no " + prefix + " within 90 s");
        }
    }
}
