package io.github.cameltokenrefresh.store.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.jdbc.KillLoopOutputs.Call;
import io.github.cameltokenrefresh.store.jdbc.KillLoopOutputs.Takeover;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill loop: {@value #REPLICAS} replicas ({@link KillLoopReplicaMain}, JVMs of their own) share
 * {@value #ACCOUNTS} accounts through the JDBC store, each serving an API call per account every 100 ms, against
 * token servers that rotate the refresh token at every refresh, revoke the whole family when an old one comes back
 * and issue {@value #ACCESS_TOKEN_SECONDS}-second access tokens. Every 2 to 6 s (the kill schedule, the test's input)
 * one replica chosen at random among those making API calls (a restarted one calls again after its JVM start, which
 * takes a minute on a loaded machine) is SIGKILLed and started again, for {@code -Dkillloop.seconds} (default 60) per
 * database ({@code -Dkillloop.seed} repeats a schedule). Then:
 * <ul>
 * <li>every token call was made under a held lease, by a fence no other call had;</li>
 * <li>no reuse caused by a lease: a refresh token sent twice is allowed only when the replica that sent it first was
 * SIGKILLed after its call reached the provider, so the rotated token died with it (the rotation window); the test
 * prints each such kill, and the calls of that account after its family was revoked no longer count;</li>
 * <li>every lease of a killed holder was taken over, within 5 s of the kill plus the poll when a replica was
 * waiting for it (by the database clock);</li>
 * <li>each replica served at least 95 % of its API calls (counted from its own output).</li>
 * </ul>
 * H2 in server mode (this JVM serves the file), PostgreSQL and MariaDB, each in a table of its own.
 */
@Tag("kill")
class ReplicaKillLoopIT {

    private static final String CLIENT_SECRET = "kill-loop-secret-1";
    private static final int REPLICAS = 3;
    private static final int ACCOUNTS = 2;
    private static final long ACCESS_TOKEN_SECONDS = 8;
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("killloop.seconds", 60));
    /** The lease's TTL (4 s) plus 1 s, the bound, plus the waiting replica's poll (50 ms). */
    private static final long TAKEOVER_BOUND_MILLIS = 5_000 + 50;
    private static final double SERVED_AT_LEAST = 0.95;

    /** A SIGKILL: whom, when (this JVM's clock and the database's), and the leases it held (provider to fence). */
    record Kill(int slot, long pid, long wallAt, long databaseAt, Map<String, Long> deadLeases) {
    }

    /** A token call as it reached the provider: the refresh token sent and the lease it was sent under. */
    record TokenCall(String provider, long at, String refreshToken, long holderPid, long fence) {
    }

    @TempDir
    Path dir;

    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private final List<KillLoopOutputs.Slotted> outputs = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void killedReplicasLeasesAreTakenOverAndTheOthersKeepServing(TestDatabases database) throws Exception {
        long seed = Long.getLong("killloop.seed", System.nanoTime());
        Random random = new Random(seed);
        String table = TestDatabases.newTableName();
        TestDatabases.Shared shared = database.sharedAcrossJvms(dir);
        DataSource ds = shared.dataSource();
        Connection keeper = database == TestDatabases.H2 ? ds.getConnection() : null; // serves the file
        List<StrictTokenServer> servers = new ArrayList<>();
        List<TokenCall> tokenCalls = Collections.synchronizedList(new ArrayList<>());
        try (HikariDataSource pool = TestDatabases.pooled(ds, 4)) {
            JdbcTokenStore store = new JdbcTokenStore(pool);
            store.setTableName(table);
            store.setCreateTable(true);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx160m", "-cp", System.getProperty("java.class.path"),
                    KillLoopReplicaMain.class.getName(), shared.argument(), table, CLIENT_SECRET));
            for (int i = 0; i < ACCOUNTS; i++) {
                String provider = "p" + i;
                StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                        .clientCredentials(ReplicaRotationIT.CLIENT_ID, CLIENT_SECRET).addRefreshToken("rt-0-" + i)
                        .rotateRefreshTokens(true).revokeFamilyOnReuse(true).expiresIn(ACCESS_TOKEN_SECONDS)
                        .beforeEachTokenCall(request -> {
                            RefreshLease holder = store.holder(provider, "default");
                            tokenCalls.add(new TokenCall(provider, System.currentTimeMillis(),
                                                         formValue(request.body(), "refresh_token"),
                                                         holder == null ? -1 : pidOf(holder.owner()),
                                                         holder == null ? -1 : holder.fence()));
                        });
                servers.add(server);
                store.save(provider, "default", Token.ofRefreshToken("rt-0-" + i, Instant.now()), 0);
                command.add(server.tokenUrl());
                command.add(server.resourceUrl());
            }

            Process[] slots = new Process[REPLICAS];
            Path[] current = new Path[REPLICAS];
            for (int s = 0; s < REPLICAS; s++) {
                slots[s] = start(command, s);
                current[s] = outputs.get(s).path();
            }
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200))
                    .until(() -> outputs.stream().allMatch(o -> read(o.path()).contains("CALL ")));
            List<Kill> kills = new ArrayList<>();
            long end = System.nanoTime() + RUN.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(2_000 + random.nextInt(4_001)); // the kill schedule: the test's input, not a wait
                // a replica that serves: one still starting (a minute on a loaded machine) holds nothing to lose
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !serving(current).isEmpty());
                List<Integer> ready = serving(current);
                int victim = ready.get(random.nextInt(ready.size()));
                Process process = slots[victim];
                long wallAt = System.currentTimeMillis();
                long databaseAt = database.nowMillis(pool);
                process.destroyForcibly(); // SIGKILL: no release, no more renewals
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "replica " + victim + " died");
                Map<String, Long> dead = new TreeMap<>();
                for (int i = 0; i < ACCOUNTS; i++) {
                    RefreshLease holder = store.holder("p" + i, "default");
                    if (holder != null && pidOf(holder.owner()) == process.pid()) {
                        dead.put("p" + i, holder.fence());
                    }
                }
                kills.add(new Kill(victim, process.pid(), wallAt, databaseAt, dead));
                slots[victim] = start(command, victim);
                current[victim] = outputs.get(outputs.size() - 1).path();
            }
            // the leases the last kills left are taken over too (an account lost in the window excepted)
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> untakenLeases(kills, reuses(tokenCalls).keySet()).isEmpty());
            for (Process process : slots) {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
            }

            String report = verify(database, kills, tokenCalls, servers, seed);
            System.out.println(report);
        } finally {
            processes.forEach(Process::destroyForcibly);
            keepOutputs(database);
            servers.forEach(StrictTokenServer::close);
            TestDatabases.dropTable(ds, table);
            if (keeper != null) {
                keeper.close();
            }
        }
    }

    private String verify(TestDatabases database, List<Kill> kills, List<TokenCall> tokenCalls,
                          List<StrictTokenServer> servers, long seed) {
        List<TokenCall> calls = List.copyOf(tokenCalls);
        KillLoopOutputs printed = KillLoopOutputs.read(List.copyOf(outputs));
        StringBuilder report = new StringBuilder(database + " (seed " + seed + "): " + kills.size() + " SIGKILLs in "
                                                 + RUN.toSeconds() + " s, " + calls.size() + " token calls;");
        // one lease, one token call
        for (int i = 0; i < ACCOUNTS; i++) {
            String provider = "p" + i;
            List<Long> fences = calls.stream().filter(c -> c.provider().equals(provider)).map(TokenCall::fence).toList();
            assertTrue(fences.stream().allMatch(f -> f > 0), provider + ": every token call under a held lease");
            assertEquals(fences.size(), new HashSet<>(fences).size(), provider + ": one token call per lease");
        }
        // no reuse caused by a lease: each one follows a kill of the first sender after its call reached the provider
        Map<String, TokenCall[]> reuses = reuses(calls);
        for (Map.Entry<String, TokenCall[]> reuse : reuses.entrySet()) {
            TokenCall first = reuse.getValue()[0];
            Kill kill = kills.stream().filter(k -> k.pid() == first.holderPid() && k.wallAt() >= first.at())
                    .findFirst().orElseThrow(() -> new AssertionError(reuse.getKey() + ": a refresh token was sent"
                            + " twice and its first sender was not killed after sending it: a reuse caused by the"
                            + " lease (first fence " + first.fence() + ", again by fence " + reuse.getValue()[1].fence()
                            + ")"));
            report.append(" ").append(reuse.getKey()).append(": refresh token reused by fence ")
                    .append(reuse.getValue()[1].fence()).append(" after replica ").append(kill.slot()).append(" (fence ")
                    .append(first.fence()).append(") was SIGKILLed ").append(kill.wallAt() - first.at())
                    .append(" ms after its token call reached the provider: inside the rotation window, family revoked;");
        }
        assertEquals(reuses.size(), servers.stream().mapToInt(StrictTokenServer::familyRevocations).sum());
        // every dead holder's lease taken over in time
        List<Long> delays = new ArrayList<>();
        int notAwaited = 0;
        for (Kill kill : kills) {
            for (Map.Entry<String, Long> dead : kill.deadLeases().entrySet()) {
                Takeover takeover = printed.takeoverAfter(dead.getKey(), dead.getValue()).orElse(null);
                if (takeover == null) {
                    assertTrue(reuses.containsKey(dead.getKey()), dead.getKey() + ": the lease of replica "
                                                                  + kill.slot() + " was never taken over");
                    continue;
                }
                long delay = takeover.acquiredAt() - kill.databaseAt();
                if (takeover.polling()) {
                    assertTrue(delay <= TAKEOVER_BOUND_MILLIS, dead.getKey() + ": a waiting replica took over the lease"
                                                               + " of killed replica " + kill.slot() + " " + delay
                                                               + " ms after the kill");
                    delays.add(delay);
                } else {
                    notAwaited++;
                }
            }
        }
        Collections.sort(delays);
        report.append(" leases of killed holders taken over by a waiting replica: ").append(delays.size())
                .append(delays.isEmpty() ? "" : " (" + delays.get(0) + " to " + delays.get(delays.size() - 1)
                                                + " ms after the kill, database clock)")
                .append(", by a replica that came later: ").append(notAwaited).append(";");
        // each replica served at least 95 % of its calls (an account's calls after its family was revoked excepted)
        Map<String, Long> revokedAt = new HashMap<>();
        reuses.forEach((provider, pair) -> revokedAt.put(provider, pair[1].at()));
        for (int s = 0; s < REPLICAS; s++) {
            int slot = s;
            List<Call> counted = printed.calls.stream().filter(c -> c.slot() == slot)
                    .filter(c -> c.at() < revokedAt.getOrDefault(c.provider(), Long.MAX_VALUE)).toList();
            long served = counted.stream().filter(Call::served).count();
            Map<String, Long> failures = new TreeMap<>();
            counted.stream().filter(c -> !c.served()).forEach(c -> failures.merge(c.outcome(), 1L, Long::sum));
            report.append(" replica ").append(s).append(": ").append(served).append("/").append(counted.size())
                    .append(" calls served").append(failures.isEmpty() ? "" : " " + failures).append(";");
            assertTrue(counted.size() > 0 && served >= SERVED_AT_LEAST * counted.size(),
                       "replica " + s + " served " + served + " of " + counted.size() + " calls: " + report);
        }
        return report.toString();
    }

    /** Per provider, its first refresh token sent twice: the first call that sent it and the second. */
    private static Map<String, TokenCall[]> reuses(List<TokenCall> tokenCalls) {
        Map<String, TokenCall> firstSent = new HashMap<>();
        Map<String, TokenCall[]> reuses = new TreeMap<>();
        for (TokenCall call : List.copyOf(tokenCalls)) {
            TokenCall first = firstSent.putIfAbsent(call.provider() + " " + call.refreshToken(), call);
            if (first != null) {
                reuses.putIfAbsent(call.provider(), new TokenCall[] { first, call });
            }
        }
        return reuses;
    }

    /** The leases of killed holders nobody has taken over yet, ignoring accounts whose family was revoked. */
    private List<String> untakenLeases(List<Kill> kills, Set<String> revoked) {
        KillLoopOutputs printed = KillLoopOutputs.read(List.copyOf(outputs));
        List<String> untaken = new ArrayList<>();
        for (Kill kill : kills) {
            kill.deadLeases().forEach((provider, fence) -> {
                if (!revoked.contains(provider) && printed.takeoverAfter(provider, fence).isEmpty()) {
                    untaken.add(provider + "/" + fence);
                }
            });
        }
        return untaken;
    }

    private Process start(List<String> command, int slot) throws IOException {
        Path output = dir.resolve("replica-" + slot + "-" + processes.size() + ".log");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(dir.resolve("replica-" + slot + "-" + processes.size() + ".err").toFile()).start();
        processes.add(process);
        outputs.add(new KillLoopOutputs.Slotted(slot, output));
        return process;
    }

    /** The replicas' outputs (stdout and stderr, never a token) under target/kill-loop/, for a failure's forensics. */
    private void keepOutputs(TestDatabases database) {
        try (var files = Files.list(dir)) {
            Path kept = Files.createDirectories(Path.of("target", "kill-loop", database.name()));
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("replica-")).toList()) {
                Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // forensics only
        }
    }

    /** The slots whose current replica makes API calls (an account lost in the window fails them all). */
    private static List<Integer> serving(Path[] current) {
        List<Integer> ready = new ArrayList<>();
        for (int s = 0; s < current.length; s++) {
            if (read(current[s]).contains("CALL ")) {
                ready.add(s);
            }
        }
        return ready;
    }

    /** A lease owner is "pid@host/instance". */
    private static long pidOf(String owner) {
        return Long.parseLong(owner.substring(0, owner.indexOf('@')));
    }

    private static String formValue(String body, String name) {
        for (String pair : body.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
