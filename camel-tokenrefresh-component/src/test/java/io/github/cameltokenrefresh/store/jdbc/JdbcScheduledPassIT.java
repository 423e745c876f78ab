package io.github.cameltokenrefresh.store.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenServerTestSupport;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.RefreshReport;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A scheduled pass over a JDBC store asks the database what is due, and reads only the due records. */
class JdbcScheduledPassIT extends TokenServerTestSupport {

    @Test
    void aPassReadsOnlyTheRecordsTheDatabaseNamesAsDue() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", "s").addRefreshToken("rt-soon")
                .expiresIn(3600L);
        DataSource ds = TestDatabases.H2.dataSource();
        String table = TestDatabases.newTableName();
        AtomicInteger loads = new AtomicInteger();
        JdbcTokenStore store = new JdbcTokenStore(ds) {
            @Override
            public StoredToken load(String provider, String account) {
                loads.incrementAndGet();
                return super.load(provider, account);
            }
        };
        store.setTableName(table);
        store.setCreateTable(true);
        try {
            // saved by other replicas: one account due within the window, two not
            Instant now = Instant.now();
            store.save("p", "soon", token("at-soon", "rt-soon", now, now.plus(Duration.ofMinutes(5))), 0);
            store.save("p", "later-1", token("at-l1", "rt-l1", now, now.plus(Duration.ofHours(2))), 0);
            store.save("p", "later-2", token("at-l2", "rt-l2", now, now.plus(Duration.ofHours(3))), 0);
            context = TestContexts.context(storeDir);
            context.getRegistry().bind("tokenStore", store);
            TestContexts.addRoute(context, "direct:due", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                         + "&clientId=c&clientSecret=s&store=#tokenStore"
                                                         + "&refreshWindow=10m&operation=refreshDue");
            context.start();
            loads.set(0);

            RefreshReport report = context.createProducerTemplate().requestBody("direct:due", "", RefreshReport.class);

            assertEquals(List.of("soon"), report.getRefreshed());
            assertEquals(1, server.tokenCalls());
            assertEquals(1, loads.get(), "only the due account was read (once, at its first use), not every record");
            assertEquals("rt-l1", store.load("p", "later-1").token().getRefreshToken());
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }

    @Test
    void theStartupPassAsksTheDatabaseWhatIsDueAndNeverListsOrReadsEveryRow() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", "s").addRefreshToken("rt-soon")
                .expiresIn(3600L);
        DataSource ds = TestDatabases.H2.dataSource();
        String table = TestDatabases.newTableName();
        AtomicInteger listings = new AtomicInteger();
        List<String> loaded = new java.util.concurrent.CopyOnWriteArrayList<>();
        JdbcTokenStore store = new JdbcTokenStore(ds) {
            @Override
            public StoredToken load(String provider, String account) {
                loaded.add(account);
                return super.load(provider, account);
            }

            @Override
            public List<String> accounts(String provider) {
                listings.incrementAndGet();
                return super.accounts(provider);
            }
        };
        store.setTableName(table);
        store.setCreateTable(true);
        try {
            Instant now = Instant.now();
            store.save("p", "soon", token("at-soon", "rt-soon", now, now.plus(Duration.ofMinutes(5))), 0);
            for (int i = 0; i < 5; i++) {
                store.save("p", "later-" + i, token("at-l" + i, "rt-l" + i, now, now.plus(Duration.ofHours(2))), 0);
            }
            context = TestContexts.context(storeDir);
            context.getRegistry().bind("tokenStore", store);
            TestContexts.addRoute(context, "direct:call", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                          + "&clientId=c&clientSecret=s&store=#tokenStore"
                                                          + "&refreshWindow=10m&refreshOnStart=true&account=later-0");
            context.start();
            io.github.cameltokenrefresh.internal.Provider provider = (io.github.cameltokenrefresh.internal.Provider)
                    TestContexts.component(context).tokens("p");
            org.awaitility.Awaitility.await().until(() -> provider.startupPass().isDone());

            assertEquals(1, server.tokenCalls(), "the one due account was refreshed on start");
            assertEquals(0, listings.get(), "no listing of every account");
            assertEquals(List.of("later-0", "soon"), loaded.stream().distinct().sorted().toList(),
                         "read: the producer's own account and the due one, no other row");
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }

    private static Token token(String access, String refresh, Instant issued, Instant expires) {
        return Token.builder().accessToken(access).refreshToken(refresh).tokenType("Bearer").issuedAt(issued)
                .expiresAt(expires).build();
    }
}
