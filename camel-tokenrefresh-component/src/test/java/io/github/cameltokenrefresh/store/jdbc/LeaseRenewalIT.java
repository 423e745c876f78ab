package io.github.cameltokenrefresh.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas (Camel contexts of their own) over one table on each database, with the component's lease timing
 * (4 s TTL, renewed every second): a live holder whose token call lasts longer than the TTL keeps its lease, and the
 * other replica waits without a token call, logging the wait once; a replica waiting for another's lease stops
 * promptly when its context shuts down.
 */
class LeaseRenewalIT {

    private static final String SECRET = "CLIENT-SECRET-renewal";
    private static final long TTL_MILLIS = 4_000;
    private static final Pattern WAIT_LINE = Pattern.compile(
            "WARN \\S+ - tokenrefresh:p account 'acct': waiting since \\S+ for the refresh lease that (\\S+) holds");

    @TempDir
    Path dir;

    private final List<CamelContext> contexts = new ArrayList<>();
    private StrictTokenServer server;

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
        if (server != null) {
            server.close();
        }
    }

    private DefaultCamelContext replica(DataSource ds, String table, String name) throws Exception {
        return replica(ds, table, name, "send");
    }

    private DefaultCamelContext replica(DataSource ds, String table, String name, String spentRefreshToken)
            throws Exception {
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(table);
        store.setCreateTable(true);
        store.setSpentRefreshToken(spentRefreshToken);
        DefaultCamelContext replica = TestContexts.context(dir.resolve(name));
        replica.getRegistry().bind("tokenStore", store);
        TestContexts.addRoute(replica, "direct:refresh", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                         + "&clientId=c&clientSecret=" + SECRET
                                                         + "&store=#tokenStore&account=acct&operation=refresh");
        replica.start();
        contexts.add(replica);
        return replica;
    }

    private static CompletableFuture<Object> refresh(CamelContext replica) {
        return CompletableFuture.supplyAsync(() -> replica.createProducerTemplate().requestBody("direct:refresh", ""));
    }

    private static Provider provider(CamelContext replica) {
        return (Provider) TestContexts.component(replica).tokens("p");
    }

    /** The provider: rt-0 is the account's current refresh token, tokens live an hour. */
    private void startTokenServer() {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", SECRET).addRefreshToken("rt-0")
                .expiresIn(3600L);
    }

    private JdbcTokenStore seed(DataSource ds, String table) {
        JdbcTokenStore seed = new JdbcTokenStore(ds);
        seed.setTableName(table);
        seed.setCreateTable(true);
        seed.save("p", "acct", Token.ofRefreshToken("rt-0", Instant.now()), 0);
        return seed;
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aLiveHolderKeepsItsLeaseThroughATokenCallLongerThanTheTtlAndTheWaitIsLoggedOnce(TestDatabases db)
            throws Exception {
        DataSource ds = db.dataSource();
        String table = TestDatabases.newTableName();
        try (LogCapture log = new LogCapture()) {
            startTokenServer();
            JdbcTokenStore seed = seed(ds, table);
            DefaultCamelContext a = replica(ds, table, "a");
            DefaultCamelContext b = replica(ds, table, "b");
            String ownerA = provider(a).leases().owner();

            server.holdTokenCalls();
            CompletableFuture<Object> refreshA = refresh(a);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.heldTokenCalls() == 1);
            RefreshLease taken = seed.holder("p", "acct");
            assertEquals(ownerA, taken.owner());
            CompletableFuture<Object> refreshB = refresh(b);
            await().atMost(Duration.ofSeconds(30)).until(() -> provider(b).leases().awaited().size() == 1);

            // A's token call outlasts the TTL by the database clock: A's renewals keep the lease from B
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> db.nowMillis(ds) > taken.acquiredAt().toEpochMilli() + TTL_MILLIS + 2_000);
            RefreshLease still = seed.holder("p", "acct");
            assertEquals(taken.fence(), still.fence(), "no takeover of a live holder");
            assertTrue(still.until().isAfter(taken.until()), "renewed: " + still + " after " + taken);
            assertEquals(1, server.tokenCalls(), "B made no token call while it waited");
            assertFalse(refreshB.isDone(), "B still waits");

            server.releaseTokenCalls(1);
            refreshA.get(30, TimeUnit.SECONDS);
            refreshB.get(30, TimeUnit.SECONDS);
            assertEquals(1, server.tokenCalls(), "B adopted A's token");
            assertEquals(1, TestContexts.component(b).tokens("p").status("acct").adoptedRefreshes());

            // distinct lines: LogCapture hands a line to every logger configuration it passes through; a second
            // WARN of the episode would differ (its own time)
            Set<String> waits = new LinkedHashSet<>();
            Matcher m = WAIT_LINE.matcher(log.text());
            while (m.find()) {
                waits.add(m.group());
                assertEquals(ownerA, m.group(1), "the WARN names the holder");
            }
            assertEquals(1, waits.size(), "one WARN for the wait episode: " + waits);
            List<String> secrets = new ArrayList<>(List.of(SECRET, "rt-0"));
            secrets.addAll(server.issuedAccessTokens());
            secrets.addAll(server.issuedRefreshTokens());
            for (String secret : secrets) {
                assertFalse(waits.toString().contains(secret), "the wait's WARN shows a secret");
            }
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aContextWaitingForAnotherReplicasLeaseShutsDownPromptly(TestDatabases db) throws Exception {
        DataSource ds = db.dataSource();
        String table = TestDatabases.newTableName();
        try {
            startTokenServer();
            JdbcTokenStore seed = seed(ds, table);
            // another replica holds the lease and keeps it (as renewals would) for longer than the test
            assertNotNull(seed.acquire("p", "acct", "other-replica", Duration.ofMinutes(5), Duration.ZERO));
            DefaultCamelContext b = replica(ds, table, "b");
            CompletableFuture<Object> waiting = refresh(b);
            await().atMost(Duration.ofSeconds(30)).until(() -> provider(b).leases().awaited().size() == 1);

            CountDownLatch stopped = new CountDownLatch(1);
            Thread stopper = new Thread(() -> {
                b.stop(); // graceful: waits for in-flight exchanges, such as the one waiting for the lease
                stopped.countDown();
            }, "stopper");
            stopper.start();
            // Camel's graceful shutdown would wait 45 s for the exchange, the wait itself the holder's whole hold
            assertTrue(stopped.await(20, TimeUnit.SECONDS), "the context stopped without waiting for the lease");
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(TestContexts.messages(ended).contains("stopping while another instance held the refresh lease"),
                       TestContexts.messages(ended));
            assertEquals(0, server.tokenCalls());
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void withMarkDeadASpentRefreshTokenIsNeverSentAgain(TestDatabases db) throws Exception {
        DataSource ds = db.dataSource();
        String table = TestDatabases.newTableName();
        try {
            startTokenServer();
            JdbcTokenStore seed = seed(ds, table);
            // a holder that sent rt-0 (markSending) and died: no release, no renewal
            RefreshLease dead = seed.markSending(seed.acquire("p", "acct", "killed-replica", Duration.ofSeconds(1),
                                                              Duration.ZERO), Duration.ofSeconds(1));
            DefaultCamelContext b = replica(ds, table, "b", "markDead");
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> refresh(b).get(60, TimeUnit.SECONDS));
            String message = TestContexts.messages(refused);
            assertTrue(message.contains("invalid_grant") || message.contains("spentRefreshToken=markDead"), message);
            assertTrue(message.contains("its previous holder died after sending it"), message);
            assertFalse(message.contains("rt-0"), "no token in the message");
            assertEquals(0, server.tokenCalls(), "the spent refresh token was not sent");
            assertEquals(JdbcRows.sha256("rt-0"), TestDatabases.queryOne(ds, "SELECT dead_rt_sha256 FROM " + table
                                                                              + " WHERE account = ?", "acct").toString()
                    .trim(), "every replica learns it is dead");
            assertTrue(dead.fence() < seed.acquire("p", "acct", "after", Duration.ofSeconds(1), Duration.ZERO).fence());
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }
}
