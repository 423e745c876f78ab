package io.github.cameltokenrefresh.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.ProviderTokens;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Takeover of a dead holder's lease (issue 22), per database: a holder (a Camel context of its own) takes an account's
 * lease and sends its token call, which the token server holds; a successor starts waiting for the lease; then the
 * holder dies as the database sees a SIGKILLed process die: from one moment (random within the renewal period) none
 * of its statements reach the database and its token call never returns, so no renewal, no save, no release. Measured:
 * from that moment (host clock) to the successor's acquisition (database clock; the same host's clock for PostgreSQL
 * and MariaDB on loopback, this JVM's for H2). The component's own timing: a 4 s TTL renewed every second, the
 * successor polling every 50 ms. ReplicaKillLoopIT does the same with real SIGKILLs.
 */
final class LeaseTakeover {

    static final String PROVIDER = "takeover";
    static final int KILLS = Integer.getInteger("bench.takeover.kills", 20);

    private LeaseTakeover() {
    }

    /** The successor's store: the leases it took. */
    static final class RecordingStore extends JdbcTokenStore {
        final BlockingQueue<RefreshLease> taken = new LinkedBlockingQueue<>();

        RecordingStore(DataSource ds) {
            super(ds);
        }

        @Override
        public RefreshLease acquire(String provider, String account, String owner, Duration hold, Duration grace) {
            RefreshLease lease = super.acquire(provider, account, owner, hold, grace);
            if (lease != null) {
                taken.add(lease);
            }
            return lease;
        }
    }

    static void run() throws Exception {
        System.out.println();
        System.out.printf("== 6f. takeover of a dead holder's lease, %d deaths per database (statements and token call"
                          + " cut at a random moment: what the database sees of a SIGKILL)%n", KILLS);
        System.out.printf("%-12s %34s %14s%n", "database", "death -> takeover p50/p99/max", "told spent");
        for (String name : BenchDatabases.names()) {
            try (BenchDatabases.Database db = BenchDatabases.open(name, 4)) {
                if (db != null) {
                    measure(db);
                }
            }
        }
        System.out.println("(lease TTL 4 s after the holder's last renewal, renewed every second; the successor polls"
                           + " every 50 ms)");
    }

    private static void measure(BenchDatabases.Database db) throws Exception {
        RecordingStore successorStore = new RecordingStore(db.firstPool());
        successorStore.setTableName(db.table);
        successorStore.setCreateTable(true);
        successorStore.setInstanceId("bench-successor");
        Map<String, CountDownLatch[]> holds = new ConcurrentHashMap<>();
        StrictTokenServer tokens = StrictTokenServer.start(StrictTokenServer.Dialect.OAUTH2)
                .clientCredentials(Fixtures.CLIENT_ID, Fixtures.CLIENT_SECRET).rotateRefreshTokens(false)
                .expiresIn(3600L).beforeEachTokenCall(request -> {
                    CountDownLatch[] hold = holds.remove(request.body().replaceAll(".*refresh_token=([^&]+).*", "$1"));
                    if (hold != null) {
                        hold[0].countDown(); // the holder's call: answered only after the takeover
                        await(hold[1]);
                    }
                });
        for (int k = 0; k < KILLS; k++) {
            tokens.addRefreshToken("rt-take-" + k);
            successorStore.save(PROVIDER, "a" + k, Token.ofRefreshToken("rt-take-" + k, Instant.now()), 0);
        }
        Path dir = Fixtures.tempDir("bench-takeover");
        DefaultCamelContext successor = context(dir, successorStore, tokens);
        Random random = new Random(42);
        Latencies delays = new Latencies();
        int spent = 0;
        try {
            for (int k = 0; k < KILLS; k++) {
                String account = "a" + k;
                CountDownLatch arrived = new CountDownLatch(1);
                CountDownLatch answer = new CountDownLatch(1);
                holds.put("rt-take-" + k, new CountDownLatch[] { arrived, answer });
                AtomicBoolean dead = new AtomicBoolean();
                HikariDataSource holderPool = pool(db);
                JdbcTokenStore holderStore = new JdbcTokenStore(severable(holderPool, dead));
                holderStore.setTableName(db.table);
                holderStore.setInstanceId("bench-holder-" + k);
                DefaultCamelContext holder = context(dir, holderStore, tokens);
                try {
                    CompletableFuture.runAsync(() -> tokens(holder).account(account)
                            .refresh()).exceptionally(e -> null);
                    if (!arrived.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the holder's token call never arrived");
                    }
                    CompletableFuture<Token> takeover = CompletableFuture.supplyAsync(
                            () -> tokens(successor).account(account).refresh());
                    awaitWaiting(successor, account);
                    Thread.sleep(random.nextInt(1_000)); // the death lands anywhere in the renewal period
                    long diedAt = System.currentTimeMillis();
                    dead.set(true);
                    takeover.get(60, TimeUnit.SECONDS);
                    RefreshLease taken = successorStore.taken.stream().filter(l -> l.account().equals(account))
                            .findFirst().orElseThrow();
                    delays.record((taken.acquiredAt().toEpochMilli() - diedAt) * 1_000_000);
                    spent += taken.spent() ? 1 : 0;
                } finally {
                    answer.countDown();
                    Fixtures.stopQuietly(holder, holderPool);
                }
            }
            Latencies d = Latencies.merge(List.of(delays));
            System.out.printf("%-12s %34s %14s%n", db.name, Latencies.ms(d.percentile(50)) + " / "
                                                         + Latencies.ms(d.percentile(99)) + " / "
                                                         + Latencies.ms(d.percentile(100)),
                              spent + " of " + KILLS);
        } finally {
            Fixtures.stopQuietly(successor, tokens);
            Fixtures.deleteTree(dir);
        }
    }

    /** A started context whose provider {@value #PROVIDER} uses {@code store}. */
    private static DefaultCamelContext context(Path dir, JdbcTokenStore store, StrictTokenServer tokens)
            throws Exception {
        DefaultCamelContext context = Fixtures.context(dir);
        context.getComponent("tokenrefresh", TokenRefreshComponent.class).getConfiguration().setStore(store);
        String uri = Fixtures.provider(PROVIDER, tokens, null, null);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(uri);
            }
        });
        context.start();
        return context;
    }

    private static ProviderTokens tokens(DefaultCamelContext context) {
        return context.getComponent("tokenrefresh", TokenRefreshComponent.class).tokens(PROVIDER);
    }

    private static void awaitWaiting(DefaultCamelContext successor, String account) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            AccountStatus status = tokens(successor).status(account);
            if (status != null && status.leaseWaits() >= 1) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the successor never waited for the lease");
    }

    private static HikariDataSource pool(BenchDatabases.Database db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url);
        config.setUsername(db.name.equals("postgresql") ? "postgres" : db.name.equals("mariadb") ? "root" : "sa");
        config.setPassword("");
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    /** {@code target} until {@code dead}: then no connection, so no statement of the holder reaches the database. */
    private static DataSource severable(DataSource target, AtomicBoolean dead) {
        return (DataSource) Proxy.newProxyInstance(LeaseTakeover.class.getClassLoader(),
                                                   new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
                                                       if (dead.get() && method.getName().equals("getConnection")) {
                                                           throw new SQLException("the holder is dead");
                                                       }
                                                       try {
                                                           return method.invoke(target, args);
                                                       } catch (InvocationTargetException e) {
                                                           throw e.getCause();
                                                       }
                                                   });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
