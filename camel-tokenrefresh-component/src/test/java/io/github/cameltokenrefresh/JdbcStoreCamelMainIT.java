package io.github.cameltokenrefresh;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC store selected as docs/stores.md shows it: a DataSource bean and a JdbcTokenStore bean in Camel Main
 * properties, named by the store option. On an in-memory H2 database.
 */
class JdbcStoreCamelMainIT {

    private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private final String h2Url = "jdbc:h2:mem:main-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private StrictTokenServer server;
    private Main main;

    @BeforeEach
    void startServer() {
        server = StrictTokenServer.start(Dialect.PARTNER).partnerId(4711).addRefreshToken("rt-0");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (main != null) {
            main.stop();
        }
        server.close();
    }

    private Map<String, String> properties(boolean withDataSource) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("camel.beans.tokenDb", "#class:org.h2.jdbcx.JdbcDataSource");
        props.put("camel.beans.tokenDb.url", h2Url);
        props.put("camel.beans.tokenStore", "#class:io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore");
        if (withDataSource) {
            props.put("camel.beans.tokenStore.data-source", "#bean:tokenDb");
        }
        props.put("camel.beans.tokenStore.table-name", "partner_tokens");
        props.put("camel.beans.tokenStore.create-table", "true");
        props.put("camel.beans.tokenStore.encryption-key", KEY);
        String p = "camel.component.tokenrefresh.";
        props.put(p + "store", "#bean:tokenStore");
        props.put(p + "token-url", server.tokenUrl());
        props.put(p + "insecure-http", "true");
        props.put(p + "encoding", "json");
        props.put(p + "refresh-token-field", "refreshToken");
        props.put(p + "grant-type-location", "header");
        props.put(p + "grant-type-field", "grantType");
        props.put(p + "client-authentication", "none");
        props.put(p + "headers[partnerId]", "4711");
        props.put(p + "refresh-token", "rt-0");
        return props;
    }

    private Exchange start(Map<String, String> properties) throws Exception {
        main = new Main();
        properties.forEach(main::addInitialProperty);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("tokenrefresh:partner").to(server.resourceUrl());
            }
        });
        main.start();
        return main.getCamelContext().createProducerTemplate().request("direct:call", e -> {
        });
    }

    @Test
    void aJdbcStoreBeanFromPropertiesKeepsTheRotatedTokenInTheDatabase() throws Exception {
        Exchange result = start(properties(true));
        if (result.getException() != null) {
            throw new AssertionError("call failed", result.getException());
        }
        assertEquals("Bearer " + server.issuedAccessTokens().get(0),
                     result.getMessage().getHeader("Authorization", String.class));

        JdbcTokenStore store = main.getCamelContext().getRegistry().lookupByNameAndType("tokenStore", JdbcTokenStore.class);
        assertEquals("partner_tokens", store.getTableName());
        assertTrue(store.isEncrypted());
        StoredToken saved = store.load("partner", "default");
        assertNotNull(saved, "the refreshed token is in the table");
        assertEquals(1, saved.version());
        assertEquals(server.issuedAccessTokens().get(0), saved.token().getAccessToken());

        DataSource ds = (DataSource) main.getCamelContext().getRegistry().lookupByName("tokenDb");
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT record, expires_at FROM partner_tokens")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                String raw = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(raw.contains(saved.token().getRefreshToken()), "encrypted at rest");
                assertEquals(saved.token().getExpiresAt().toEpochMilli(), rs.getLong(2));
            }
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE partner_tokens");
        }
    }

    @Test
    void aJdbcStoreBeanWithoutDataSourceFailsNamingTheOption() throws Exception {
        Exchange result = start(properties(false));
        Exception failure = result.getException();
        assertNotNull(failure, "no store, no token");
        Throwable cause = failure;
        while (cause != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        assertInstanceOf(IllegalStateException.class, cause, () -> "cause chain of " + failure);
        assertTrue(cause.getMessage().contains("option dataSource is required"), cause.getMessage());
        assertEquals(0, server.tokenCalls(), "no token call without a store to save its answer in");
    }
}
