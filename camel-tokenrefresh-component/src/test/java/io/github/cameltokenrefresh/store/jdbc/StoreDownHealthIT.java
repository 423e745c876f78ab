package io.github.cameltokenrefresh.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database is down when the context starts: the provider's readiness is DOWN with errorType=store from the start
 * (before any account was used, and while every call fails), and UP again once the database is back, with no restart.
 * Before, the check listed only accounts whose refresh had failed, and a failed read of the store moved none: UP
 * throughout. A real outage: an H2 TCP server stopped, PostgreSQL and MariaDB cut off behind a TCP proxy.
 */
class StoreDownHealthIT {

    private static final String SECRET = "store-down-client-secret-3";

    @TempDir
    Path dir;

    private DatabaseOutage database;
    private StrictTokenServer server;
    private DefaultCamelContext context;
    private String table;

    @AfterEach
    void tearDown() throws Exception {
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
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void downAtStartTheProviderIsNotReadyUntilTheDatabaseIsBack(TestDatabases which) throws Exception {
        database = new DatabaseOutage(which, dir);
        table = TestDatabases.newTableName();
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("store-down-client", SECRET)
                .addRefreshToken("rt-0").rotateRefreshTokens(true);
        JdbcTokenStore store = new JdbcTokenStore(database.dataSource());
        store.setTableName(table);
        store.setCreateTable(true);
        store.save("p", "default", Token.ofRefreshToken("rt-0", Instant.now()), 0);
        database.stop();

        TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
        provider.setTokenUrl(server.tokenUrl());
        provider.setInsecureHttp(true);
        provider.setClientId("store-down-client");
        provider.setClientSecret(SECRET);
        provider.setStore(store);
        context = new DefaultCamelContext();
        context.getRegistry().bind("p", provider);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:p");
        context.start();

        HealthCheck.Result atStart = health();
        assertEquals(HealthCheck.State.DOWN, atStart.getState(), "not ready before any call: " + view(atStart));
        assertEquals("store", atStart.getDetails().get("errorType"));
        assertTrue(atStart.getDetails().containsKey("storeUnreadableSince"), view(atStart));
        assertTrue(atStart.getMessage().orElse("").contains("cannot be read"), view(atStart));

        Exception failed = call().getException();
        assertInstanceOf(TokenStoreException.class, failed, String.valueOf(failed));
        HealthCheck.Result whileDown = health();
        assertEquals(HealthCheck.State.DOWN, whileDown.getState(), view(whileDown));
        assertEquals(atStart.getDetails().get("storeUnreadableSince"), whileDown.getDetails().get("storeUnreadableSince"),
                     "one outage, one start");
        assertEquals(0, server.tokenCalls());

        database.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> health().getState() == HealthCheck.State.UP);
        HealthCheck.Result back = health();
        assertNull(back.getDetails().get("errorType"), view(back));
        assertNull(back.getDetails().get("storeUnreadableSince"), view(back));
        String bearer = bearer(call());
        assertEquals("Bearer " + server.issuedAccessTokens().get(0), bearer, "calls work again without a restart");
    }

    private Exchange call() {
        return context.createProducerTemplate().request("direct:call", e -> {
        });
    }

    private static String bearer(Exchange exchange) {
        assertNull(exchange.getException());
        return exchange.getMessage().getHeader("Authorization", String.class);
    }

    private HealthCheck.Result health() {
        HealthCheck.Result result = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("tokenrefresh-p")).findFirst().orElseThrow();
        String view = view(result);
        assertFalse(view.contains(SECRET) || view.contains("rt-0"), "no secret in the health check: " + view);
        return result;
    }

    private static String view(HealthCheck.Result result) {
        Map<String, Object> details = result.getDetails();
        return result.getState() + " " + result.getMessage().orElse("") + " " + details;
    }
}
