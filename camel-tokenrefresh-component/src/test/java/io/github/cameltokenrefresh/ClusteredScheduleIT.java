package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.github.cameltokenrefresh.testing.ForkedJvm;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component's own refresh schedule, once cluster-wide: with refreshClusterNamespace its route reads from
 * master:<namespace>:quartz:..., and of two JVMs sharing Camel's file-lock cluster service only the leader runs
 * passes; when the leader dies, the other takes over. A wrong setting fails at route start naming the option.
 */
class ClusteredScheduleIT extends TokenServerTestSupport {

    private static final String SECRET = "CLIENT-SECRET-cluster";

    @TempDir
    Path work;

    private ForkedJvm replica(String name) {
        return ForkedJvm.start(work, System.getProperty("java.class.path"), Map.of(),
                               ClusteredScheduleMain.class.getName(),
                               List.of(server.tokenUrl(), SECRET, work.resolve("cluster").toString(), name),
                               work.resolve(name + ".log"));
    }

    private static long passesOf(ForkedJvm replica, String name) {
        return replica.output().lines().filter(("PASS-REFRESHED " + name)::equals).count();
    }

    /** Waits for the condition; on timeout the failure shows what the replicas printed. */
    private static void awaitReplicas(Callable<Boolean> condition, ForkedJvm... replicas) {
        try {
            await().atMost(Duration.ofSeconds(60)).until(condition);
        } catch (ConditionTimeoutException e) {
            StringBuilder outputs = new StringBuilder();
            for (ForkedJvm replica : replicas) {
                outputs.append("\n--- ").append(replica.outputFile().getFileName()).append('\n').append(replica.output());
            }
            throw new AssertionError(e.getMessage() + outputs, e);
        }
    }

    @Test
    void onlyTheLeaderRunsTheScheduledPassesAndTheOtherTakesOverWhenTheLeaderDies() {
        // each replica keeps its own memory store: the refresh token must stay valid for the one that takes over
        // (replicas that share a JDBC store share the rotated one instead)
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", SECRET).addRefreshToken("rt-0")
                .rotateRefreshTokens(false).expiresIn(3600L);
        try (ForkedJvm a = replica("a"); ForkedJvm b = replica("b")) {
            // whichever wins the lock leads; the other has started and must not run a single pass
            awaitReplicas(() -> a.output().contains("STARTED a") && b.output().contains("STARTED b")
                                && passesOf(a, "a") + passesOf(b, "b") >= 2, a, b);
            boolean aLeads = passesOf(a, "a") > 0;
            ForkedJvm leader = aLeads ? a : b;
            ForkedJvm follower = aLeads ? b : a;
            String leaderName = aLeads ? "a" : "b";
            String followerName = aLeads ? "b" : "a";
            long leaderPasses = passesOf(leader, leaderName);
            // four more periods of the schedule (500 ms each): the follower's schedule would have fired in them too
            awaitReplicas(() -> passesOf(leader, leaderName) >= leaderPasses + 4, a, b);
            assertEquals(0, passesOf(follower, followerName), "the follower ran a pass: " + follower.output());

            leader.close(); // SIGKILL: the lock goes with the process
            awaitReplicas(() -> passesOf(follower, followerName) >= 2, a, b);
            assertFalse(leader.isAlive());
            assertTrue(server.tokenCalls() >= leaderPasses + 6, "every pass made its token call");
        }
    }

    @Test
    void aClusterNamespaceWithoutAClusterServiceFailsAtRouteStartNamingTheOption() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", SECRET);
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                      + "&clientId=c&clientSecret=" + SECRET
                                                      + "&refreshInterval=60000&refreshClusterNamespace=tokens");
        Exception e = assertThrows(Exception.class, context::start);
        String messages = TestContexts.messages(e);
        assertTrue(messages.contains("refreshClusterNamespace") && messages.contains("CamelClusterService"), messages);
    }

    @Test
    void aClusterNamespaceWithoutAScheduleOrWithAColonFailsAtRouteStartNamingTheOption() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", SECRET);
        for (String options : List.of("refreshClusterNamespace=tokens", "refreshInterval=60000&refreshClusterNamespace=a:b")) {
            context = TestContexts.context(storeDir);
            FileLockClusterService cluster = new FileLockClusterService();
            cluster.setRoot(work.resolve("cluster").toString());
            context.addService(cluster);
            TestContexts.addRoute(context, "direct:call", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                          + "&clientId=c&clientSecret=" + SECRET + "&" + options);
            Exception e = assertThrows(Exception.class, context::start);
            String messages = TestContexts.messages(e);
            assertTrue(messages.contains("refreshClusterNamespace"), messages);
            assertTrue(messages.contains(options.contains(":") ? "letters, digits" : "needs a schedule"), messages);
            context.stop();
        }
    }
}
