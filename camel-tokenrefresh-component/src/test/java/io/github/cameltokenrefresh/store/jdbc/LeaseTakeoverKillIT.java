package io.github.cameltokenrefresh.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lease holder ({@link LeaseHolderMain}, a JVM of its own) SIGKILLed during its token call, with the component's
 * lease timing and nothing moved by hand: while alive it renews its lease (its end moves by the database clock); once
 * dead, a successor in this JVM that was already waiting takes the lease over within the TTL (4 s) after the kill,
 * plus its poll, and is told the holder had sent the refresh token. Prints the figures (docs/replicas.md).
 */
class LeaseTakeoverKillIT {

    private static final String CLIENT_SECRET = "lease-takeover-secret-1";
    private static final long TTL_MILLIS = 4_000;
    /** The successor's poll (50 ms) and its statements on a loaded machine. */
    private static final long SLACK_MILLIS = 2_000;

    @TempDir
    Path dir;

    /** The successor's store: remembers the lease it took. */
    static final class RecordingStore extends JdbcTokenStore {
        final BlockingQueue<RefreshLease> taken = new LinkedBlockingQueue<>();

        RecordingStore(DataSource ds) {
            super(ds);
        }

        @Override
        public RefreshLease acquire(String provider, String account, String owner, Duration hold, Duration grace) {
            RefreshLease lease = super.acquire(provider, account, owner, hold, grace);
            if (lease != null) {
                taken.add(lease);
            }
            return lease;
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aKilledHoldersLeaseIsTakenOverWithinTheTtl(TestDatabases database) throws Exception {
        String table = TestDatabases.newTableName();
        TestDatabases.Shared shared = database.sharedAcrossJvms(dir);
        DataSource ds = shared.dataSource();
        Connection keeper = database == TestDatabases.H2 ? ds.getConnection() : null;
        RecordingStore store = new RecordingStore(ds);
        store.setTableName(table);
        store.setCreateTable(true);
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch dead = new CountDownLatch(1);
        DefaultCamelContext successor = null;
        Process holder = null;
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                .clientCredentials(ReplicaRotationIT.CLIENT_ID, CLIENT_SECRET).addRefreshToken("rt-0")
                .rotateRefreshTokens(false).expiresIn(3600L)
                .beforeEachTokenCall(request -> {
                    if (arrived.getCount() == 1) {
                        arrived.countDown(); // the holder's call: answered only once the holder is dead
                        try {
                            dead.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                })) {
            store.save("p", "default", Token.ofRefreshToken("rt-0", Instant.now()), 0);
            successor = LeaseHolderKillIT.successor(store, server.tokenUrl(), CLIENT_SECRET);

            holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                                        "-cp", System.getProperty("java.class.path"), LeaseHolderMain.class.getName(),
                                        shared.argument(), table, server.tokenUrl(), CLIENT_SECRET, "during-call")
                    .redirectError(dir.resolve("holder.err").toFile()).start();
            BlockingQueue<String> lines = LeaseHolderKillIT.lines(holder);
            awaitLine(lines, "READY");
            holder.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
            holder.getOutputStream().flush();
            awaitLine(lines, "LEASE ");
            assertTrue(arrived.await(60, TimeUnit.SECONDS), "the holder's token call arrived");

            // alive, the holder renews: its lease's end moves on by the database clock
            RefreshLease first = store.holder("p", "default");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> store.holder("p", "default").until().isAfter(first.until()));
            DefaultCamelContext waiting = successor;
            CompletableFuture<Object> takeover = CompletableFuture.supplyAsync(
                    () -> waiting.createProducerTemplate().requestBody("tokenrefresh:p?operation=refresh", ""));
            // the account exists once the producer's refresh reached it: until then there is no status to read
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                AccountStatus status = LeaseHolderKillIT.component(waiting).tokens("p").status("default");
                return status != null && status.leaseWaits() == 1;
            });

            String log;
            long killedAt;
            long lastUntil;
            try (LogCapture capture = new LogCapture()) {
                holder.destroyForcibly(); // SIGKILL: no finally, no release, no more renewals
                assertTrue(holder.waitFor(10, TimeUnit.SECONDS), "the holder died");
                killedAt = database.nowMillis(ds);
                lastUntil = store.holder("p", "default") == null ? killedAt
                        : store.holder("p", "default").until().toEpochMilli();
                dead.countDown();
                takeover.get(60, TimeUnit.SECONDS);
                log = capture.text();
            }
            RefreshLease taken = store.taken.poll(1, TimeUnit.SECONDS);
            assertNotNull(taken, "the successor took the lease");
            long takeoverMillis = taken.acquiredAt().toEpochMilli() - killedAt;
            assertTrue(lastUntil - killedAt <= TTL_MILLIS, "the dead holder's lease ended one TTL after the kill at"
                                                           + " most: " + (lastUntil - killedAt) + " ms");
            assertTrue(takeoverMillis <= TTL_MILLIS + SLACK_MILLIS, "taken over " + takeoverMillis + " ms after the kill");
            assertTrue(taken.interrupted() && taken.spent(), taken.toString());
            assertTrue(log.contains("its holder had started a token call") && log.contains("most likely spent"), log);
            assertEquals(1, LeaseHolderKillIT.component(successor).tokens("p").status("default").interruptedLeases());
            assertEquals(2, server.tokenCalls(), "the killed holder's call and the successor's");
            System.out.println(database + ": lease holder SIGKILLed during its token call; its lease ended "
                               + (lastUntil - killedAt) + " ms after the kill (database clock), the waiting"
                               + " successor took it over " + takeoverMillis + " ms after the kill (TTL "
                               + TTL_MILLIS + " ms)");
        } finally {
            if (holder != null) {
                holder.destroyForcibly();
            }
            dead.countDown();
            if (successor != null) {
                successor.stop();
            }
            TestDatabases.dropTable(ds, table);
            if (keeper != null) {
                keeper.close();
            }
        }
    }

    private static void awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        while (true) {
            String line = lines.poll(90, TimeUnit.SECONDS);
            assertNotNull(line, "no " + prefix + " within 90 s");
            if (line.startsWith(prefix)) {
                return;
            }
            assertTrue(!line.equals("EOF") && !line.startsWith("DONE"), "expected " + prefix + ", got " + line);
        }
    }
}
