package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * End to end on loopback: a Camel HTTP route calling a local resource server, decorated three ways in the same run:
 * a constant Authorization header (the floor), tokenrefresh, and Camel HTTP's own oauth2ClientId/oauth2ClientSecret/
 * oauth2TokenEndpoint with oauth2CacheTokens=true (client_credentials). Rounds alternate the variants so drift
 * (JIT, page cache, the other tenant of the two cores) spreads over all three.
 */
final class EndToEnd {

    static final int THREADS = Integer.getInteger("bench.e2e.threads", 4);
    static final long ROUND_MILLIS = Long.getLong("bench.e2e.roundMillis", 1000);
    static final int ROUNDS = Integer.getInteger("bench.e2e.rounds", 16);
    /** Warm-up per variant: JIT and connection pools; shorter warm-ups left the first measured rounds 3x slower. */
    static final long WARMUP_MILLIS = Long.getLong("bench.e2e.warmupMillis", 4000);
    static final long MAX_OPS_PER_ROUND = 5_000_000;

    private EndToEnd() {
    }

    /** Rounds in which other processes took less than this share of the machine count as clean. */
    static final double CLEAN = 10;

    static boolean clean(Load.Result r) {
        return r.othersBusy() >= 0 && r.othersBusy() < CLEAN;
    }

    /**
     * The median of the per-round throughput ratios: each round's variants ran back to back under the same drift.
     * Only rounds where neither variant shared the machine count, when there are at least two such rounds.
     */
    static double pairedRatio(List<Load.Result> variant, List<Load.Result> base) {
        List<Double> ratios = new ArrayList<>();
        List<Double> cleanRatios = new ArrayList<>();
        for (int i = 0; i < variant.size(); i++) {
            double ratio = variant.get(i).throughput() / base.get(i).throughput();
            ratios.add(ratio);
            if (clean(variant.get(i)) && clean(base.get(i))) {
                cleanRatios.add(ratio);
            }
        }
        if (cleanRatios.size() >= 2) {
            ratios = cleanRatios;
        }
        ratios.sort(null);
        int n = ratios.size();
        return n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
    }

    static void run() throws Exception {
        System.out.println();
        System.out.printf("== 2. end to end on loopback: %d caller threads, %.0f s warm-up + %d rounds x %.1f s per variant,"
                          + " variants interleaved%n", THREADS, WARMUP_MILLIS / 1000.0, ROUNDS, ROUND_MILLIS / 1000.0);
        StrictTokenServer tokens = Fixtures.oauth2Server("rt-e2e");
        LoopbackApi api = new LoopbackApi("cc-client", "cc-secret", 3600, tokens::isAccessTokenValid, 4);
        Path storeDir = Fixtures.tempDir("bench-e2e");
        DefaultCamelContext context = Fixtures.context(storeDir);
        try {
            String constantValue = "Bearer " + api.mint();
            String tokenRefresh = Fixtures.provider("e2e", tokens, "rt-e2e", null);
            String camelOAuth2 = api.resourceUrl() + "?oauth2ClientId=cc-client&oauth2ClientSecret=cc-secret"
                                 + "&oauth2TokenEndpoint=" + api.ccTokenUrl() + "&oauth2CacheTokens=true";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:constant").setHeader("Authorization", constant(constantValue)).to(api.resourceUrl());
                    // an identical second route: the A/A control of the alternating run
                    from("direct:constant2").setHeader("Authorization", constant(constantValue)).to(api.resourceUrl());
                    from("direct:tokenrefresh").to(tokenRefresh).to(api.resourceUrl());
                    from("direct:camelOAuth2").to(camelOAuth2);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            Map<String, Endpoint> variants = new LinkedHashMap<>();
            variants.put("constant header", context.getEndpoint("direct:constant"));
            variants.put("tokenrefresh", context.getEndpoint("direct:tokenrefresh"));
            variants.put("camel-http oauth2", context.getEndpoint("direct:camelOAuth2"));

            for (Map.Entry<String, Endpoint> v : variants.entrySet()) { // warmup, also makes each token call once
                Load.Result warm = Load.run(template, v.getValue(), THREADS, WARMUP_MILLIS, MAX_OPS_PER_ROUND);
                if (warm.errors() > 0) {
                    throw new IllegalStateException(v.getKey() + " failed during warmup: " + warm.firstError());
                }
            }
            Map<String, List<Load.Result>> rounds = new LinkedHashMap<>();
            variants.keySet().forEach(k -> rounds.put(k, new ArrayList<>()));
            List<String> order = new ArrayList<>(variants.keySet());
            // round -1 is discarded: the first variant after the warm-ups ran consistently slow (idle pooled
            // connections re-validated, a GC after the warm-ups), whichever variant it was
            for (int round = -1; round < ROUNDS; round++) {
                for (String name : order) {
                    Load.Result r = Load.run(template, variants.get(name), THREADS, ROUND_MILLIS, MAX_OPS_PER_ROUND);
                    if (round >= 0) {
                        rounds.get(name).add(r);
                    }
                }
                order.add(order.remove(0)); // rotate
            }

            // figures come from the rounds in which no variant shared the machine, when there are two or more of them
            List<Integer> counted = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                int round = i;
                if (rounds.values().stream().allMatch(list -> clean(list.get(round)))) {
                    counted.add(i);
                }
            }
            boolean cleanOnly = counted.size() >= 2;
            if (!cleanOnly) {
                counted.clear();
                for (int i = 0; i < ROUNDS; i++) {
                    counted.add(i);
                }
            }
            System.out.printf("req/s and percentiles over %s: rounds %s (1-based)%n",
                              cleanOnly ? "the clean rounds only" : "all rounds (fewer than two were clean)",
                              counted.stream().map(i -> String.valueOf(i + 1)).toList());
            System.out.printf("%-18s %10s %9s %9s %9s %7s%n", "variant", "req/s", "p50", "p99", "p99.9", "errors");
            Map<String, double[]> summary = new LinkedHashMap<>();
            for (Map.Entry<String, List<Load.Result>> e : rounds.entrySet()) {
                long ops = 0;
                long errors = 0;
                double seconds = 0;
                List<Latencies> lat = new ArrayList<>();
                StringBuilder perRound = new StringBuilder();
                StringBuilder others = new StringBuilder();
                for (int i = 0; i < e.getValue().size(); i++) {
                    Load.Result r = e.getValue().get(i);
                    others.append(others.length() == 0 ? "" : "/").append(Math.round(r.othersBusy()));
                    perRound.append(perRound.length() == 0 ? "" : "/").append(Math.round(r.throughput()));
                    errors += r.errors();
                    if (counted.contains(i)) {
                        ops += r.ops();
                        seconds += r.seconds();
                        lat.add(r.latencies());
                    }
                }
                Latencies all = Latencies.merge(lat);
                double throughput = ops / seconds;
                summary.put(e.getKey(), new double[] { throughput, all.percentile(50), all.percentile(99) });
                System.out.printf("%-18s %10.0f %9s %9s %9s %7d   req/s per round: %s%n", e.getKey(), throughput,
                                  Latencies.us(all.percentile(50)), Latencies.us(all.percentile(99)),
                                  Latencies.us(all.percentile(99.9)), errors, perRound);
                System.out.printf("%-18s %10s %9s %9s %9s %7s   others %% per round: %s%n", "", "", "", "", "", "",
                                  others);
            }
            double[] base = summary.get("constant header");
            System.out.println();
            System.out.printf("%-18s %12s %22s %10s %10s%n", "ratio to constant", "throughput",
                              "throughput, paired*", "p50", "p99");
            summary.forEach((name, v) -> System.out.printf("%-18s %12.3f %22.3f %10.3f %10.3f%n", name, v[0] / base[0],
                                                          pairedRatio(rounds.get(name), rounds.get("constant header")),
                                                          v[1] / base[1], v[2] / base[2]));
            long cleanRounds = cleanOnly ? counted.size() : 0;
            System.out.printf("* median over rounds of (variant / constant header) within the same round; rounds where"
                              + " other processes used < %.0f%% of the machine (\"others %%\") only, when two or more:"
                              + " %d of %d rounds were clean for all three%n", CLEAN, cleanRounds, ROUNDS);
            System.out.printf("token calls: tokenrefresh %d (StrictTokenServer), camel-http oauth2 %d (client_credentials);"
                              + " resource calls %d, 401s %d%n", tokens.tokenCalls(), api.ccTokenCalls(),
                              api.resourceCalls(), api.unauthorized());

            // the same three variants, alternating request by request in every caller thread
            long alternatingMillis = Long.getLong("bench.e2e.alternatingMillis", 15000);
            MachineLoad.Sample sample = MachineLoad.Sample.start();
            List<Endpoint> altEndpoints = new ArrayList<>(variants.values());
            altEndpoints.add(context.getEndpoint("direct:constant2"));
            List<Latencies> alt = Load.runAlternating(template, altEndpoints, THREADS, alternatingMillis);
            double others = sample.othersBusyPercent();
            System.out.println();
            System.out.printf("alternating request by request (%d threads, %.0f s, other processes %.0f%%):%n", THREADS,
                              alternatingMillis / 1000.0, others);
            System.out.printf("%-18s %10s %10s %9s %9s %26s%n", "variant", "requests", "mean", "p50", "p99",
                              "throughput ratio (1/mean)");
            List<String> names = new ArrayList<>(variants.keySet());
            names.add("constant (A/A)");
            double baseMean = alt.get(0).mean();
            for (int k = 0; k < names.size(); k++) {
                Latencies l = alt.get(k);
                System.out.printf("%-18s %10d %10s %9s %9s %26.3f%n", names.get(k), l.count(),
                                  Latencies.us(Math.round(l.mean())), Latencies.us(l.percentile(50)),
                                  Latencies.us(l.percentile(99)), baseMean / l.mean());
            }
            System.out.println("(A/A: a second, identical constant-header route; its ratio shows what this harness can"
                               + " resolve)");
            System.out.println("(target: tokenrefresh throughput >= 0.97 of the constant header)");
        } finally {
            Fixtures.stopQuietly(context, api, tokens);
            Fixtures.deleteTree(storeDir);
        }
    }
}
