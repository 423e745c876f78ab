package io.github.cameltokenrefresh.store.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three replicas in three JVMs share {@value #ACCOUNTS} accounts through the JDBC store, each forcing refreshes of
 * every account as fast as it can, against token endpoints (one per account) that rotate the refresh token at every
 * refresh and revoke the whole family when an old one comes back (RFC 9700 section 4.14.2), until the endpoints have
 * rotated {@value #CYCLES} times in all. Each token call is checked as it arrives: the account's lease is held, and
 * by a fence no other token call had, so no lease ever covered two calls. Not one invalid_grant, not one family
 * revoked, every token call a rotation; and whenever nobody held an account's lease, its stored refresh token was the
 * provider's current one. H2 in file mode, PostgreSQL and MariaDB.
 */
class ReplicaRotationIT {

    static final String CLIENT_ID = "replica-client";
    private static final String CLIENT_SECRET = "replica-secret-1";
    private static final int REPLICAS = 3;
    private static final int ACCOUNTS = 8;
    private static final int CYCLES = 1000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void replicasNeverSendARefreshTokenTwice(TestDatabases database) throws Exception {
        String table = TestDatabases.newTableName();
        TestDatabases.Shared shared = database.sharedAcrossJvms(dir);
        DataSource ds = shared.dataSource();
        // H2: this JVM opens the file first and so serves it to every replica (AUTO_SERVER) for the whole run
        Connection keeper = database == TestDatabases.H2 ? ds.getConnection() : null;
        List<StrictTokenServer> servers = new ArrayList<>();
        List<Process> replicas = new ArrayList<>();
        try (HikariDataSource pool = TestDatabases.pooled(ds, 4)) {
            JdbcTokenStore store = new JdbcTokenStore(pool);
            store.setTableName(table);
            store.setCreateTable(true);
            List<List<Long>> callFences = new ArrayList<>();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx160m", "-cp", System.getProperty("java.class.path"),
                    ReplicaRefreshMain.class.getName(), shared.argument(), table, CLIENT_SECRET, "0"));
            for (int i = 0; i < ACCOUNTS; i++) {
                String provider = "p" + i;
                List<Long> fences = Collections.synchronizedList(new ArrayList<>());
                callFences.add(fences);
                StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                        .clientCredentials(CLIENT_ID, CLIENT_SECRET).addRefreshToken("rt-0-" + i)
                        .rotateRefreshTokens(true).revokeFamilyOnReuse(true)
                        // the lease as the token call finds it: whoever sends a refresh token holds the lease
                        .beforeEachTokenCall(request -> {
                            RefreshLease holder = store.holder(provider, "default");
                            fences.add(holder == null ? -1 : holder.fence());
                        });
                servers.add(server);
                store.save(provider, "default", Token.ofRefreshToken("rt-0-" + i, Instant.now()), 0);
                command.add(server.tokenUrl());
            }

            long started = System.nanoTime();
            for (int i = 0; i < REPLICAS; i++) {
                replicas.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("replica-" + i + ".log").toFile()).start());
            }
            AtomicInteger checkedIdle = new AtomicInteger();
            AtomicInteger sampled = new AtomicInteger();
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(10)).until(() -> {
                int i = sampled.getAndIncrement() % ACCOUNTS;
                if (storedIsCurrentWhileIdle(store, servers.get(i), "p" + i)) {
                    checkedIdle.incrementAndGet();
                }
                return rotations(servers) >= CYCLES || replicas.stream().anyMatch(p -> !p.isAlive());
            });
            for (Process replica : replicas) {
                replica.getOutputStream().close(); // the replicas stop at the end of their current refresh
            }
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                Process replica = replicas.get(i);
                assertTrue(replica.waitFor(60, TimeUnit.SECONDS), "replica " + i + " finishes");
                String log = read(dir.resolve("replica-" + i + ".log"));
                assertEquals(0, replica.exitValue(), log);
                String outcome = log.lines().filter(l -> l.startsWith("OUTCOMES ")).findFirst().orElse(log);
                assertTrue(outcome.matches("OUTCOMES \\{ok=\\d+}"), "every forced refresh succeeded: " + outcome);
                outcomes.add(outcome);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;

            int rotations = rotations(servers);
            String summary = database + ": " + rotations + " rotations of " + ACCOUNTS + " accounts by " + REPLICAS
                             + " JVMs in " + millis + " ms (JVM start included), stored refresh token checked against"
                             + " the provider's while no lease was held " + checkedIdle + " times; replicas " + outcomes;
            assertTrue(rotations >= CYCLES, summary);
            for (int i = 0; i < ACCOUNTS; i++) {
                StrictTokenServer server = servers.get(i);
                String account = "account p" + i + ": " + summary;
                assertEquals(List.of(), server.rejections(), account);
                assertEquals(0, server.familyRevocations(), account);
                assertEquals(server.tokenCalls(), server.successfulRefreshes(), "every token call rotated: " + account);
                List<Long> fences = List.copyOf(callFences.get(i));
                assertEquals(server.tokenCalls(), fences.size(), account);
                assertTrue(fences.stream().allMatch(f -> f > 0), "every token call under a held lease: " + account);
                assertEquals(fences.size(), new HashSet<>(fences).size(), "one token call per lease: " + account);
                assertEquals(server.currentRefreshToken(), store.load("p" + i, "default").token().getRefreshToken(),
                             account);
            }
            System.out.println(summary);
        } finally {
            replicas.forEach(Process::destroyForcibly);
            servers.forEach(StrictTokenServer::close);
            TestDatabases.dropTable(ds, table);
            if (keeper != null) {
                keeper.close();
            }
        }
    }

    private static int rotations(List<StrictTokenServer> servers) {
        return servers.stream().mapToInt(StrictTokenServer::successfulRefreshes).sum();
    }

    /**
     * Whether this sample could be checked, failing when the stored refresh token was not the provider's current one.
     * Sound without stopping anyone: when the provider's current token is the same before and after, nothing rotated
     * in between; when nobody held the lease either, no rotation is waiting for its save.
     */
    private static boolean storedIsCurrentWhileIdle(JdbcTokenStore store, StrictTokenServer server, String provider) {
        String before = server.currentRefreshToken();
        if (store.holder(provider, "default") != null) {
            return false;
        }
        StoredToken stored = store.load(provider, "default");
        if (!before.equals(server.currentRefreshToken())) {
            return false;
        }
        assertEquals(before, stored.token().getRefreshToken(), provider + ": the stored refresh token is spent");
        return true;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
