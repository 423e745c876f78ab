package io.github.cameltokenrefresh.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invalid_grant no-storm guarantee, cluster-wide: three replicas in three JVMs share one account whose refresh
 * token the provider has revoked, and each forces {@value #EXCHANGES} refreshes at once. The first holder of the lease
 * is told invalid_grant and records the refresh token's hash in the row; every other attempt, in every JVM, finds it
 * there (or its own dead state) and sends nothing: one token call in all, and every attempt fails typed as
 * invalid_grant. H2 in file mode, PostgreSQL and MariaDB.
 */
class ReplicaInvalidGrantStormIT {

    private static final String CLIENT_SECRET = "storm-secret-1";
    private static final int REPLICAS = 3;
    private static final int EXCHANGES = 200;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void oneTokenCallInAllAfterInvalidGrant(TestDatabases database) throws Exception {
        String table = TestDatabases.newTableName();
        TestDatabases.Shared shared = database.sharedAcrossJvms(dir);
        DataSource ds = shared.dataSource();
        Connection keeper = database == TestDatabases.H2 ? ds.getConnection() : null;
        List<Process> replicas = new ArrayList<>();
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                .clientCredentials(ReplicaRotationIT.CLIENT_ID, CLIENT_SECRET).addRefreshToken("rt-revoked")
                .rotateRefreshTokens(true).revokeFamilyOnReuse(true)) {
            server.revokeRefreshToken("rt-revoked");
            JdbcTokenStore store = new JdbcTokenStore(ds);
            store.setTableName(table);
            store.setCreateTable(true);
            store.save("p0", "default", Token.ofRefreshToken("rt-revoked", Instant.now()), 0);

            for (int i = 0; i < REPLICAS; i++) {
                replicas.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx160m",
                                                "-cp", System.getProperty("java.class.path"),
                                                ReplicaRefreshMain.class.getName(), shared.argument(), table,
                                                CLIENT_SECRET, String.valueOf(EXCHANGES), server.tokenUrl())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("replica-" + i + ".log").toFile()).start());
            }
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                assertTrue(replicas.get(i).waitFor(120, TimeUnit.SECONDS), "replica " + i + " finishes");
                String log = Files.readString(dir.resolve("replica-" + i + ".log"), StandardCharsets.UTF_8);
                assertEquals(0, replicas.get(i).exitValue(), log);
                String outcome = log.lines().filter(l -> l.startsWith("OUTCOMES ")).findFirst().orElse(log);
                assertEquals("OUTCOMES {invalid_grant=" + EXCHANGES + "}", outcome, "every attempt failed typed");
                outcomes.add(outcome);
            }
            String summary = database + ": " + REPLICAS + " JVMs x " + EXCHANGES + " forced refreshes after "
                             + "invalid_grant: " + server.tokenCalls() + " token call(s); replicas " + outcomes;
            assertEquals(1, server.tokenCalls(), summary);
            assertEquals(1, server.rejections().size(), summary);
            assertEquals(JdbcRows.sha256("rt-revoked"),
                         TestDatabases.queryOne(ds, "SELECT dead_rt_sha256 FROM " + table
                                                    + " WHERE provider = ? AND account = ?", "p0", "default"),
                         "the row keeps the dead refresh token's hash, never the token");
            System.out.println(summary);
        } finally {
            replicas.forEach(Process::destroyForcibly);
            TestDatabases.dropTable(ds, table);
            if (keeper != null) {
                keeper.close();
            }
        }
    }
}
