package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refreshes through the JDBC store (H2, encrypted), then a database failure on a save (after the token call), every
 * logger at TRACE: no token,
 * refresh token or key in the log, in the exceptions or in the store's toString().
 */
class JdbcStoreSecretsNotLoggedIT {

    private static final String KEY = "S0VZLVNFQ1JFVC0wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ=";
    private static final String BOOTSTRAP = "RT-BOOTSTRAP-jdbc-4e7a";

    @TempDir
    Path storeDir;

    private StrictTokenServer server;
    private DefaultCamelContext context;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void noSecretReachesTheLogAnExceptionOrToString() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("client-id", "CLIENT-SECRET-jdbc")
                .addRefreshToken(BOOTSTRAP);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:secrets-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setCreateTable(true);
        store.setEncryptionKey(KEY);

        List<Object> seen = new ArrayList<>();
        String text;
        try (LogCapture capture = new LogCapture()) {
            context = TestContexts.context(storeDir);
            context.getRegistry().bind("tokenStore", store);
            TokenRefreshConfiguration config = new TokenRefreshConfiguration();
            config.setTokenUrl(server.tokenUrl());
            config.setInsecureHttp(true);
            config.setClientId("client-id");
            config.setClientSecret("CLIENT-SECRET-jdbc");
            config.setRefreshToken(BOOTSTRAP);
            config.setStore(store);
            context.getRegistry().bind("oauth2", config);
            TestContexts.addRoute(context, "direct:token", "tokenrefresh:oauth2?operation=token");
            TestContexts.addRoute(context, "direct:refresh", "tokenrefresh:oauth2?operation=refresh");
            context.start();
            ProducerTemplate template = context.createProducerTemplate();

            Exchange ok = template.request("direct:token", e -> {
            });
            seen.add(ok.getException());
            Exchange again = template.request("direct:refresh", e -> {
            });
            seen.add(again.getException());
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                // the next save (version 3) breaks a constraint: read works, the token call happens, the save fails
                st.execute("ALTER TABLE " + store.getTableName() + " ADD CONSTRAINT no_third CHECK (version <= 2)");
            }
            Exchange failed = template.request("direct:refresh", e -> {
            });
            assertNotNull(failed.getException(), "the save the constraint refuses fails");
            seen.add(failed.getException());
            seen.add(store);
            text = capture.text();
        }

        assertEquals(3, server.issuedAccessTokens().size(), "three refreshes reached the token endpoint");
        List<String> secrets = new ArrayList<>(List.of(KEY, BOOTSTRAP, "CLIENT-SECRET-jdbc"));
        secrets.addAll(server.issuedAccessTokens());
        secrets.addAll(server.issuedRefreshTokens());
        StringBuilder views = new StringBuilder();
        for (Object o : seen) {
            views.append(o).append('\n');
            if (o instanceof Throwable t) {
                for (Throwable c = t; c != null; c = c.getCause()) {
                    views.append(c).append('\n');
                }
            }
        }
        assertTrue(views.toString().contains("JdbcTokenStore[table=tokenrefresh_token"), views::toString);
        assertTrue(views.toString().contains("cannot save and release the lease of provider 'oauth2' account 'default' (SQLState 23513"),
                   views::toString);
        assertTrue(text.contains("TRACE"), "the capture ran at TRACE");
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a secret reached the log: " + secret.substring(0, 4) + "...");
            assertFalse(views.toString().contains(secret),
                        "a secret reached an exception or toString(): " + secret.substring(0, 4) + "...");
        }
    }
}
