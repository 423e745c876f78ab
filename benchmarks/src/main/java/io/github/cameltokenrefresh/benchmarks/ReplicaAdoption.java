package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.AccountTokens;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * How long a losing replica waits to adopt the winner's token (issue 12). Two Camel contexts, each with its own
 * JdbcTokenStore, connection pool and instance id, share one table and one account, as two pods would; the token
 * endpoint takes 200 ms, rotates refresh tokens and revokes the whole family when an old one is reused. Each cycle
 * replica A starts a refresh, and 20 ms later (A holds the lease by then) replica B needs one too (a forced refresh,
 * as after its token expired or a 401): B finds the lease busy, waits, and adopts A's saved token. Targets: one token
 * call per cycle, no family revocation, and B's wait close to A's refresh.
 */
final class ReplicaAdoption {

    static final String PROVIDER = "replica";
    static final int CYCLES = Integer.getInteger("bench.adopt.cycles", 20);
    static final long HEAD_START_MILLIS = 20;

    private ReplicaAdoption() {
    }

    static void run() throws Exception {
        System.out.println();
        System.out.printf("== 6c. a losing replica adopting the winner's token: 2 contexts sharing one table, token"
                          + " endpoint 200 ms (rotating, family revoked on reuse), %d cycles; B starts %d ms after A%n",
                          CYCLES, HEAD_START_MILLIS);
        for (String name : BenchDatabases.names()) {
            try (BenchDatabases.Database db = BenchDatabases.open(name, 4)) {
                if (db != null) {
                    cycles(db);
                }
            }
        }
    }

    static void cycles(BenchDatabases.Database db) throws Exception {
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-replica").rotateRefreshTokens(true)
                .revokeFamilyOnReuse(true).responseDelay(RefreshCapacity.ENDPOINT_DELAY);
        Path dirA = Fixtures.tempDir("bench-replica-a");
        Path dirB = Fixtures.tempDir("bench-replica-b");
        DefaultCamelContext a = replica(dirA, db, "replica-a", tokens);
        DefaultCamelContext b = replica(dirB, db, "replica-b", tokens);
        try {
            MachineLoad.Sample load = MachineLoad.Sample.start();
            a.createProducerTemplate().sendBody("direct:call", "");
            b.createProducerTemplate().sendBody("direct:call", ""); // reads A's token from the table: no call
            AccountTokens accountA = account(a);
            AccountTokens accountB = account(b);
            List<Long> waits = new ArrayList<>();
            List<Long> lags = new ArrayList<>();
            List<Long> winner = new ArrayList<>();
            List<Integer> callsPerCycle = new ArrayList<>();
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                int before = tokens.tokenCalls();
                long[] aTimes = new long[2];
                Throwable[] aFailure = new Throwable[1];
                Thread refreshA = new Thread(() -> {
                    aTimes[0] = System.nanoTime();
                    try {
                        accountA.refresh();
                    } catch (RuntimeException e) {
                        aFailure[0] = e;
                    }
                    aTimes[1] = System.nanoTime();
                }, "replica-a-refresh");
                refreshA.start();
                Thread.sleep(HEAD_START_MILLIS);
                long b0 = System.nanoTime();
                accountB.refresh();
                long b1 = System.nanoTime();
                refreshA.join(30_000);
                if (aFailure[0] != null) {
                    throw new IllegalStateException(db.name + ": replica A's refresh failed", aFailure[0]);
                }
                waits.add(b1 - b0);
                lags.add(b1 - aTimes[1]);
                winner.add(aTimes[1] - aTimes[0]);
                callsPerCycle.add(tokens.tokenCalls() - before);
            }
            AccountStatus statusB = accountB.status();
            System.out.printf("%s: token calls per cycle %s (target 1 each); family revocations %d, rejections %d"
                              + " (target 0); B adopted %d times, waited on the lease %d times%n", db.name,
                              summarize(callsPerCycle), tokens.familyRevocations(), tokens.rejections().size(),
                              statusB.adoptedRefreshes(), statusB.leaseWaits());
            System.out.printf("%s: A's refresh (lease + 200 ms call + fenced save) %s; B's wait %s; B returned after A"
                              + " by %s (the lease poll: 10 ms, doubling to 200 ms); other processes %.0f%%%n", db.name,
                              ms(winner), ms(waits), ms(lags), load.othersBusyPercent());
        } finally {
            Fixtures.stopQuietly(a, b, tokens);
            Fixtures.deleteTree(dirA);
            Fixtures.deleteTree(dirB);
        }
    }

    private static DefaultCamelContext replica(Path dir, BenchDatabases.Database db, String instance,
                                               StrictTokenServer tokens) throws Exception {
        DefaultCamelContext context = Fixtures.context(dir);
        context.getComponent("tokenrefresh", TokenRefreshComponent.class).getConfiguration()
                .setStore(db.store(db.pool(4), instance));
        String uri = Fixtures.provider(PROVIDER, tokens, "rt-replica", null);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(uri);
            }
        });
        context.start();
        return context;
    }

    private static AccountTokens account(DefaultCamelContext context) {
        return RefreshCapacity.provider(context, PROVIDER).account("default");
    }

    private static String summarize(List<Integer> calls) {
        java.util.Map<Integer, Integer> counts = new java.util.TreeMap<>();
        calls.forEach(c -> counts.merge(c, 1, Integer::sum));
        StringBuilder out = new StringBuilder();
        counts.forEach((c, n) -> out.append(out.length() == 0 ? "" : ", ").append(n).append(" x ").append(c));
        return out.toString();
    }

    /** p50 / max in ms. */
    private static String ms(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return String.format("p50 %.0f ms, min %.0f, max %.0f ms", sorted.get(sorted.size() / 2) / 1e6,
                             sorted.get(0) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }
}
