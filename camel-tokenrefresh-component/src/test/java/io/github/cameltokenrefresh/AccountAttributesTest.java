package io.github.cameltokenrefresh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Account attributes through Camel, without a socket: set from the token answer and from the attributes header, kept
 * by every refresh whose answer lacks them, readable by routes, and kept by the encrypted file store and the JDBC
 * store across a restart and a replica's refresh.
 */
class AccountAttributesTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    /** Salesforce answers a refresh without expires_in; its first answer is the one that matters here. */
    private final AtomicInteger answers = new AtomicInteger();

    @TempDir
    Path dir;

    private final List<DefaultCamelContext> contexts = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        contexts.forEach(DefaultCamelContext::stop);
    }

    /** The first answer carries instance_url, later ones do not: the attribute must survive them. */
    private String answer(RecordingTokenEndpoint.Call call) {
        int n = answers.incrementAndGet();
        return "{\"access_token\":\"at-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":3600"
               + (n == 1 ? ",\"instance_url\":\"https://acme.my.salesforce.com\"" : "") + "}";
    }

    private DefaultCamelContext context(String storeOptions) throws Exception {
        return context(storeOptions, null);
    }

    private DefaultCamelContext context(String storeOptions, JdbcTokenStore store) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        if (store != null) {
            context.getRegistry().bind("jdbc", store);
        }
        RecordingTokenEndpoint.install(context, this::answer);
        TestContexts.addRoute(context, "direct:refresh", "tokenrefresh:sf?operation=refresh&tokenUrl="
                + "https://login.salesforce.com/services/oauth2/token&clientId=c&clientSecret=s"
                + "&attributeFields=instanceUrl=instance_url&refreshToken=rt-0" + storeOptions);
        context.start();
        contexts.add(context);
        return context;
    }

    private static Exchange refresh(DefaultCamelContext context, Map<String, String> attributes) {
        Exchange exchange = context.createProducerTemplate().request("direct:refresh", e -> {
            if (attributes != null) {
                e.getMessage().setHeader(TokenRefreshConstants.ATTRIBUTES, attributes);
            }
        });
        if (exchange.getException() != null) {
            throw new AssertionError(exchange.getException());
        }
        return exchange;
    }

    @Test
    void anAnswersAttributeIsKeptByLaterRefreshesAndAHeaderAddsOthers() throws Exception {
        DefaultCamelContext context = context("&storeDirectory=" + dir + "&storeEncryptionKey=" + KEY);

        assertEquals(Map.of("instanceUrl", "https://acme.my.salesforce.com"),
                     refresh(context, null).getMessage().getHeader(TokenRefreshConstants.ATTRIBUTES));
        Exchange second = refresh(context, Map.of("realmId", "9130"));

        assertEquals(Map.of("instanceUrl", "https://acme.my.salesforce.com", "realmId", "9130"),
                     second.getMessage().getHeader(TokenRefreshConstants.ATTRIBUTES));
        assertEquals("Bearer at-2", second.getMessage().getHeader("Authorization"));
        assertEquals("https://acme.my.salesforce.com",
                     TestContexts.component(context).tokens("sf").account("default").attributes().get("instanceUrl"));
    }

    @Test
    void theEncryptedFileStoreKeepsThemAcrossARestartAndNotInClear() throws Exception {
        String store = "&storeDirectory=" + dir + "&storeEncryptionKey=" + KEY;
        refresh(context(store), Map.of("realmId", "9130"));
        contexts.remove(0).stop();

        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains("acme.my.salesforce.com") || bytes.contains("realmId"), file.toString());
            }
        }
        DefaultCamelContext restarted = context(store);
        assertEquals(Map.of("instanceUrl", "https://acme.my.salesforce.com", "realmId", "9130"),
                     TestContexts.component(restarted).tokens("sf").account("default").attributes());
        assertEquals(1, answers.get(), "read from the store, no refresh");
    }

    @Test
    void aReplicasRefreshThroughTheJdbcStoreKeepsThem() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:attributes-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        JdbcTokenStore first = new JdbcTokenStore(h2);
        first.setCreateTable(true);
        first.setTableName("attributes_replica_test");
        first.setEncryptionKey(KEY);
        JdbcTokenStore second = new JdbcTokenStore(h2);
        second.setTableName("attributes_replica_test");
        second.setEncryptionKey(KEY);
        refresh(context("&store=#jdbc", first), Map.of("realmId", "9130"));

        DefaultCamelContext other = context("&store=#jdbc", second);
        Exchange replica = refresh(other, null);

        assertEquals("Bearer at-2", replica.getMessage().getHeader("Authorization"), "the replica refreshed");
        assertEquals(Map.of("instanceUrl", "https://acme.my.salesforce.com", "realmId", "9130"),
                     replica.getMessage().getHeader(TokenRefreshConstants.ATTRIBUTES));
        assertEquals(Map.of("instanceUrl", "https://acme.my.salesforce.com", "realmId", "9130"),
                     second.load("sf", "default").token().getAttributes());
    }
}
