package io.github.cameltokenrefresh.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC store's database goes down under a running provider, for real: an H2 TCP server stopped and started
 * again, PostgreSQL and MariaDB cut off by a TCP proxy (they are shared: never stopped). Behind a connection pool, as
 * in production. Whatever happens: a valid access token is served without touching the database; nothing is refreshed
 * without the lease; a caller whose token expired gets a typed, retriable failure, and the backoff keeps it from
 * hammering the database; the health check says why and shows no secret; a token obtained just before the database
 * failed is kept in memory and saved first, fenced, when it returns; and the stored refresh token ends as the
 * provider's current one. Token time runs on a {@link MutableClock}.
 */
class DatabaseOutageIT {

    private static final String SECRET = "outage-client-secret-1";
    private static final Pattern OURS
            = Pattern.compile("(\\w+ (io\\.github\\.cameltokenrefresh|org\\.apache\\.camel)\\."
                              + "|Caused by: |[\\w.$]+(Exception|Error)\\b)");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final LogCapture log = new LogCapture();
    private DatabaseOutage database;
    private StrictTokenServer server;
    private DefaultCamelContext context;
    private JdbcTokenStore store;
    private String table;
    private final AtomicReference<CountDownLatch[]> holdNextCall = new AtomicReference<>();

    private void start(TestDatabases which) throws Exception {
        database = new DatabaseOutage(which, dir);
        table = TestDatabases.newTableName();
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials(ReplicaRotationIT.CLIENT_ID, SECRET)
                .addRefreshToken("rt-0").rotateRefreshTokens(true).revokeFamilyOnReuse(true).expiresIn(3600L)
                .clock(clock).beforeEachTokenCall(request -> {
                    CountDownLatch[] hold = holdNextCall.getAndSet(null);
                    if (hold != null) {
                        hold[0].countDown();
                        try {
                            hold[1].await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        store = new JdbcTokenStore(database.dataSource());
        store.setTableName(table);
        store.setCreateTable(true);
        store.save("p", "default", Token.ofRefreshToken("rt-0", clock.instant()), 0);

        TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
        provider.setTokenUrl(server.tokenUrl());
        provider.setInsecureHttp(true);
        provider.setClientId(ReplicaRotationIT.CLIENT_ID);
        provider.setClientSecret(SECRET);
        provider.setStore(store);
        context = new DefaultCamelContext();
        TokenRefreshComponent component = new TokenRefreshComponent();
        TestContexts.clock(component, clock);
        context.addComponent("tokenrefresh", component);
        context.getRegistry().bind("p", provider);
        context.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        String logged = log.text();
        log.close();
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.start();
            TestDatabases.dropTable(database.direct(), table);
            database.close();
        }
        // ours and Camel's lines, and exceptions: the drivers' TRACE output (the capture turns every logger up) dumps
        // the user's data, packets included
        String ours = logged.lines().filter(line -> OURS.matcher(line).lookingAt())
                .collect(Collectors.joining("\n"));
        List<String> secrets = secrets();
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            String line = ours.lines().filter(l -> l.contains(secret)).findFirst().orElse(null);
            assertTrue(line == null, () -> "secret #" + secret.length() + " reached the log in a line starting "
                                           + line.substring(0, Math.min(120, line.indexOf(secret))));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void restartedMidRunValidTokensAreServedWithoutTheDatabaseAndRefreshingResumes(TestDatabases which)
            throws Exception {
        start(which);
        String first = bearer(call());
        int borrowed = database.borrowed();

        database.stop();
        for (int i = 0; i < 100; i++) {
            assertEquals(first, bearer(call()), "a valid token is served while the database is down");
        }
        assertEquals(borrowed, database.borrowed(), "the hot path took no connection");
        database.start();

        clock.advance(Duration.ofMinutes(61)); // the token expired while the database restarted
        String second = bearer(call());
        assertFalse(second.equals(first));
        assertEquals(2, server.tokenCalls());
        assertStoredIsTheProvidersCurrent();
        assertEquals(HealthCheck.State.UP, health().getState());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void stoppedDuringATokenCallTheNewTokenIsKeptInMemoryAndSavedFirstWhenTheDatabaseReturns(TestDatabases which)
            throws Exception {
        start(which);
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        holdNextCall.set(new CountDownLatch[] { arrived, answer });
        CompletableFuture<Exchange> caller = CompletableFuture.supplyAsync(this::call);
        assertTrue(arrived.await(30, TimeUnit.SECONDS), "the token call is in flight, the lease held");
        database.stop();
        answer.countDown(); // the provider rotates and answers; the save cannot reach the database

        Exception failed = caller.get(60, TimeUnit.SECONDS).getException();
        TokenStoreException storeDown = assertInstanceOf(TokenStoreException.class, failed, String.valueOf(failed));
        assertTrue(storeDown.isRetriable());
        assertTrue(storeDown.getMessage().contains("kept in memory"), storeDown.getMessage());
        assertEquals(1, server.successfulRefreshes(), "the provider rotated: rt-0 is spent");
        String healthView = healthView(health());
        assertTrue(healthView.contains("errorType=store"), "the health check says why: " + healthView);

        database.start();
        // the lease our save could not release expires by the database clock (hold + grace); as if it had
        expireLease();
        Instant backoffEnds = component().tokens("p").status("default").nextAttemptAt();
        assertNotNull(backoffEnds);
        clock.advance(Duration.between(clock.instant(), backoffEnds).plusSeconds(1));
        String saved = bearer(call());
        assertEquals("Bearer " + server.issuedAccessTokens().get(0), saved, "the token obtained before the outage is handed out");
        assertEquals(1, server.tokenCalls(), "saved first, without a second token call");
        assertStoredIsTheProvidersCurrent();
        assertEquals(2, store.load("p", "default").version(), "one fenced save after the seed");
        assertEquals(List.of(), server.rejections());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void downLongerThanATokenLifetimeCallersFailRetriablyWithBackoffAndNothingIsLost(TestDatabases which)
            throws Exception {
        start(which);
        String first = bearer(call());
        database.stop();
        clock.advance(Duration.ofHours(2)); // longer than the token's lifetime of one hour

        Exception refused = call().getException();
        TokenStoreException noLease = assertInstanceOf(TokenStoreException.class, refused, String.valueOf(refused));
        assertTrue(noLease.isRetriable());
        assertTrue(noLease.getMessage().contains("no refresh without it"), noLease.getMessage());
        assertEquals(1, server.tokenCalls(), "no refresh without the lease");
        AccountStatus status = component().tokens("p").status("default");
        assertNotNull(status.nextAttemptAt(), "a backoff: " + status);
        int borrowed = database.borrowed();
        assertInstanceOf(TokenRefreshException.class, call().getException());
        assertEquals(borrowed, database.borrowed(), "inside the backoff a caller fails without trying the database");

        HealthCheck.Result down = health();
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertTrue(healthView(down).contains("errorType=store"), healthView(down));

        database.start();
        clock.advance(Duration.between(clock.instant(), status.nextAttemptAt()).plusSeconds(1));
        String second = bearer(call());
        assertFalse(second.equals(first));
        assertEquals(2, server.tokenCalls());
        assertStoredIsTheProvidersCurrent();
        await().atMost(Duration.ofSeconds(10)).until(() -> health().getState() == HealthCheck.State.UP);
        assertEquals(List.of(), server.rejections());
    }

    private Exchange call() {
        return context.createProducerTemplate().request("tokenrefresh:p", e -> {
        });
    }

    private static String bearer(Exchange exchange) {
        assertTrue(exchange.getException() == null, () -> String.valueOf(exchange.getException()));
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        assertNotNull(header);
        return header;
    }

    private void assertStoredIsTheProvidersCurrent() {
        assertEquals(server.currentRefreshToken(), store.load("p", "default").token().getRefreshToken(),
                     "the stored refresh token is the provider's current one");
    }

    private void expireLease() {
        TestDatabases.execute(database.direct(), "UPDATE " + table + " SET lease_started = lease_started - 3600000,"
                                                 + " lease_until = lease_until - 3600000 WHERE lease_owner IS NOT NULL");
    }

    private TokenRefreshComponent component() {
        return context.getComponent("tokenrefresh", TokenRefreshComponent.class);
    }

    private HealthCheck.Result health() {
        HealthCheck.Result result = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("tokenrefresh-p")).findFirst().orElseThrow();
        String view = healthView(result);
        for (String secret : secrets()) {
            assertFalse(view.contains(secret), "the health check shows no secret: " + view);
        }
        return result;
    }

    private static String healthView(HealthCheck.Result result) {
        return result.getState() + " " + result.getMessage().orElse("") + " " + result.getDetails();
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(SECRET, "rt-0"));
        if (server != null) {
            secrets.addAll(server.issuedAccessTokens());
            secrets.addAll(server.issuedRefreshTokens());
        }
        return secrets;
    }
}
