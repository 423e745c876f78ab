package io.github.cameltokenrefresh.store;

import java.io.IOException;
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
 * Three replicas in three JVMs share one account through the JDBC store, each forcing refreshes as fast as it can,
 * against a token endpoint that rotates the refresh token at every refresh and revokes the whole family when an old
 * one comes back (RFC 9700 section 4.14.2). With the refresh lease, no refresh token is ever sent twice: not one
 * invalid_grant, not one family revoked, every token call a rotation, and the stored refresh token is the provider's
 * current one. H2 in file mode, PostgreSQL and MariaDB.
 */
class ReplicaRotationTest {

    static final String CLIENT_ID = "replica-client";
    private static final String CLIENT_SECRET = "replica-secret-1";
    private static final int REPLICAS = 3;
    private static final int REFRESHES_EACH = 400;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void replicasNeverSendARefreshTokenTwice(TestDatabases database) throws Exception {
        String table = TestDatabases.newTableName();
        TestDatabases.Shared shared = database.sharedAcrossJvms(dir);
        DataSource ds = shared.dataSource();
        String where = shared.argument();
        // H2: this JVM opens the file first and so serves it to every replica (AUTO_SERVER) for the whole run
        Connection keeper = database == TestDatabases.H2 ? ds.getConnection() : null;
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials(CLIENT_ID, CLIENT_SECRET)
                .addRefreshToken("rt-0").rotateRefreshTokens(true).revokeFamilyOnReuse(true)) {
            JdbcTokenStore store = new JdbcTokenStore(ds);
            store.setTableName(table);
            store.setCreateTable(true);
            store.save("rot", "default", Token.ofRefreshToken("rt-0", Instant.now()), 0);

            List<Process> replicas = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                replicas.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                "-cp", System.getProperty("java.class.path"),
                                                ReplicaRefreshMain.class.getName(), where, table, server.tokenUrl(),
                                                CLIENT_SECRET, String.valueOf(REFRESHES_EACH))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("replica-" + i + ".log").toFile()).start());
            }
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                Process replica = replicas.get(i);
                assertTrue(replica.waitFor(180, TimeUnit.SECONDS), "replica " + i + " finishes");
                String log = read(dir.resolve("replica-" + i + ".log"));
                assertEquals(0, replica.exitValue(), log);
                outcomes.add(log.lines().filter(l -> l.startsWith("OUTCOMES ")).findFirst().orElse(log));
            }

            String summary = database + ": " + server.successfulRefreshes() + " rotations, replicas " + outcomes;
            assertEquals(List.of(), server.rejections(), summary);
            assertEquals(0, server.familyRevocations(), summary);
            assertEquals(server.tokenCalls(), server.successfulRefreshes(), "every token call rotated: " + summary);
            // a forced refresh either rotates or adopts another replica's newer token: about a third rotate
            assertTrue(server.successfulRefreshes() >= REFRESHES_EACH / 4, "the replicas kept rotating: " + summary);
            assertEquals(server.currentRefreshToken(), store.load("rot", "default").token().getRefreshToken(), summary);
            System.out.println(summary);
        } finally {
            TestDatabases.dropTable(ds, table);
            if (keeper != null) {
                keeper.close();
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
