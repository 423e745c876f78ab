package io.github.cameltokenrefresh.store.jdbc;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenServerTestSupport;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas share an H2 token store and its refresh lease: health, dev console, JMX and meters of each show who
 * holds the lease and since when, who waits for it, the adopted refresh and the interrupted lease as they happen, and
 * never a token or secret.
 */
class JdbcLeaseObservabilityIT extends TokenServerTestSupport {

    private static final String SECRET = "CLIENT-SECRET-lease";

    private final DataSource ds = TestDatabases.H2.dataSource();
    private final String table = TestDatabases.newTableName();
    private final StringBuilder views = new StringBuilder();
    private DefaultCamelContext replicaB;

    @AfterEach
    void stopReplicaAndDropTable() {
        if (replicaB != null) {
            replicaB.stop();
        }
        TestDatabases.dropTable(ds, table);
    }

    /** One replica: its own context, store instance and meter registry over the shared table. */
    private DefaultCamelContext replica(SimpleMeterRegistry meters) throws Exception {
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(table);
        store.setCreateTable(true);
        DefaultCamelContext replica = TestContexts.context(storeDir);
        replica.getRegistry().bind("tokenStore", store);
        replica.getRegistry().bind("meters", meters);
        TestContexts.addRoute(replica, "direct:refresh", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                         + "&clientId=c&clientSecret=" + SECRET
                                                         + "&store=#tokenStore&account=acct&operation=refresh");
        replica.start();
        return replica;
    }

    private CompletableFuture<Object> refresh(CamelContext replica) {
        return CompletableFuture.supplyAsync(() -> replica.createProducerTemplate().requestBody("direct:refresh", ""));
    }

    private Provider provider(CamelContext replica) {
        return (Provider) TestContexts.component(replica).tokens("p");
    }

    private Map<String, Object> health(CamelContext replica) {
        HealthCheck.Result result = HealthCheckHelper.invokeReadiness(replica).stream()
                .filter(r -> r.getCheck().getId().equals("tokenrefresh-p")).findFirst().orElseThrow();
        views.append(result.getDetails()).append('\n');
        return result.getDetails();
    }

    private String console(CamelContext replica, DevConsole.MediaType type) {
        DevConsole console = PluginHelper.getDevConsoleResolver(replica).resolveDevConsole("tokenrefresh");
        Object result = console.call(type);
        String text = result instanceof JsonObject json ? json.toJson() : String.valueOf(result);
        views.append(text).append('\n');
        return text;
    }

    private Object jmx(CamelContext replica, String attribute) throws Exception {
        Object value = mbeans().getAttribute(mbean(replica), attribute);
        views.append(attribute).append('=').append(value).append('\n');
        return value;
    }

    private String leaseHolder(CamelContext replica, String account) throws Exception {
        String answer = (String) mbeans().invoke(mbean(replica), "leaseHolder", new Object[] { account },
                                                 new String[] { String.class.getName() });
        views.append(answer).append('\n');
        return answer;
    }

    private static MBeanServer mbeans() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    private static ObjectName mbean(CamelContext replica) throws Exception {
        return new ObjectName("org.apache.camel:context=" + ObjectName.quote(replica.getManagementName())
                              + ",type=tokenrefresh,name=\"p\"");
    }

    private double meter(SimpleMeterRegistry meters, String name) {
        var search = meters.find(name).tag("provider", "p");
        double value = search.functionCounter() != null ? search.functionCounter().count() : search.gauge().value();
        views.append(name).append('=').append(value).append('\n');
        return value;
    }

    @Test
    void everyViewShowsWhoHoldsTheLeaseWhoWaitsAdoptionsAndTakeoversAndNoToken() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", SECRET).addRefreshToken("rt-0")
                .expiresIn(3600L);
        JdbcTokenStore seed = new JdbcTokenStore(ds);
        seed.setTableName(table);
        seed.setCreateTable(true);
        seed.save("p", "acct", Token.ofRefreshToken("rt-0", Instant.now()), 0);
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        context = replica(metersA);
        replicaB = replica(metersB);
        String ownerA = provider(context).leases().owner();
        assertEquals(0, health(context).get("leasesHeld"));
        assertEquals(0.0, meter(metersA, "tokenrefresh.lease.held"));
        assertEquals("free", leaseHolder(context, "acct"));

        // replica A holds the lease while its token call hangs
        server.holdTokenCalls();
        CompletableFuture<Object> refreshA = refresh(context);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.heldTokenCalls() == 1);
        Map<String, Object> a = health(context);
        assertEquals(1, a.get("leasesHeld"));
        assertEquals(ownerA, a.get("leaseOwner"));
        assertEquals(Boolean.TRUE, a.get("leaseShared"), "the JDBC store's lease is shared by every replica");
        assertEquals(ownerA, a.get("account.acct.leaseHeldBy"));
        Instant since = Instant.parse((String) a.get("account.acct.leaseHeldSince"));
        assertTrue(leaseHolder(context, "acct").startsWith("held by " + ownerA + " (this instance) since " + since),
                   "the store says the same holder and time");
        assertEquals(1.0, meter(metersA, "tokenrefresh.lease.held"));
        assertEquals(1, jmx(context, "LeasesHeld"));
        assertTrue(console(context, DevConsole.MediaType.TEXT).contains("Lease: held by this instance since " + since));
        assertTrue(console(context, DevConsole.MediaType.JSON).contains("\"leaseHeldSince\":\"" + since + "\""));

        // replica B's forced refresh waits for A's lease, and says for whom
        CompletableFuture<Object> refreshB = refresh(replicaB);
        await().atMost(Duration.ofSeconds(10)).until(() -> provider(replicaB).leases().awaited().size() == 1);
        Map<String, Object> b = health(replicaB);
        assertEquals(1, b.get("leasesAwaited"));
        assertEquals(0, b.get("leasesHeld"));
        assertEquals(ownerA, b.get("account.acct.leaseHeldBy"));
        assertEquals(since.toString(), b.get("account.acct.leaseHeldSince"));
        assertNotNull(b.get("account.acct.leaseWaitingSince"));
        assertEquals(1L, b.get("leaseWaits"));
        assertEquals(1.0, meter(metersB, "tokenrefresh.lease.awaited"));
        assertEquals(1.0, meter(metersB, "tokenrefresh.lease.waits"));
        assertEquals(1L, jmx(replicaB, "LeaseWaits"));
        assertTrue(console(replicaB, DevConsole.MediaType.TEXT).contains("Lease: waiting since"));

        // A's token call returns: A saves and releases, B adopts A's token without a token call of its own
        server.releaseTokenCalls(1);
        refreshA.get(10, TimeUnit.SECONDS);
        refreshB.get(10, TimeUnit.SECONDS);
        assertEquals(1, server.tokenCalls(), "one token call for both replicas");
        assertEquals(0, health(context).get("leasesHeld"));
        Map<String, Object> adopted = health(replicaB);
        assertEquals(0, adopted.get("leasesAwaited"));
        assertEquals(1L, adopted.get("adoptedRefreshes"));
        assertEquals(1.0, meter(metersB, "tokenrefresh.lease.adopted"));
        assertEquals(0.0, meter(metersA, "tokenrefresh.lease.adopted"));
        assertEquals(1L, jmx(replicaB, "AdoptedRefreshes"));
        assertEquals("free", leaseHolder(replicaB, "acct"));

        // a replica killed mid-refresh: its lease is never released; A waits for it, then takes it over
        server.releaseTokenCalls(100);
        // as a killed holder leaves it: its last renewal lasts a few seconds more, then nobody renews it
        assertNotNull(seed.leases().acquire("p", "acct", "killed-replica", Duration.ofSeconds(5), Duration.ZERO));
        CompletableFuture<Object> takeover = refresh(context);
        await().atMost(Duration.ofSeconds(10)).until(() -> provider(context).leases().awaited().size() == 1);
        assertEquals("killed-replica", health(context).get("account.acct.leaseHeldBy"));
        assertTrue(console(context, DevConsole.MediaType.TEXT).contains("for killed-replica"));
        assertTrue(leaseHolder(context, "acct").startsWith("held by killed-replica since"));
        assertEquals(0.0, meter(metersA, "tokenrefresh.lease.interrupted"));
        List<TokenEvent> events = new CopyOnWriteArrayList<>();
        provider(context).addListener(events::add);
        // the lease's end (5 s by the database's clock) passes before A may take it over
        takeover.get(30, TimeUnit.SECONDS);
        Map<String, Object> after = health(context);
        assertEquals(1L, after.get("interruptedLeases"));
        assertEquals(0, after.get("leasesAwaited"));
        assertEquals(1.0, meter(metersA, "tokenrefresh.lease.interrupted"));
        assertEquals(1L, jmx(context, "InterruptedLeases"));
        List<TokenEvent> interrupted = events.stream().filter(e -> e.type() == TokenEvent.Type.LEASE_INTERRUPTED)
                .toList();
        assertEquals(1, interrupted.size(), "one lease_interrupted event: " + events);
        assertTrue(interrupted.get(0).message().contains("may already be spent"), interrupted.get(0).message());
        views.append(events).append('\n').append(interrupted.get(0).message()).append('\n');
        assertEquals(2, server.tokenCalls());

        List<String> secrets = new ArrayList<>(List.of(SECRET, "rt-0"));
        secrets.addAll(server.issuedAccessTokens());
        secrets.addAll(server.issuedRefreshTokens());
        for (String secret : secrets) {
            assertFalse(views.toString().contains(secret), "a view shows a secret: " + secret.substring(0, 3) + "...");
        }
    }
}
