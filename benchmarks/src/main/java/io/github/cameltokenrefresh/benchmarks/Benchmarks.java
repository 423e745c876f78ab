package io.github.cameltokenrefresh.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the whole harness and prints the figures of docs/performance.md:
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar [jmh] [e2e] [storms] [accounts] [startup]   (none: all five)
 * </pre>
 * Everything runs on loopback against local servers started here; every loop is bounded in time and count.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    static {
        // before any logger or HTTP server exists: our quiet log configuration, named explicitly so no configuration
        // file elsewhere on the class path wins, and TCP_NODELAY on the JDK HttpServer's sockets, without
        // which every response waits out a 40 ms delayed ACK (Nagle) and the harness measures the kernel's timer
        setDefault("log4j2.configurationFile", "log4j2-benchmarks.xml");
        setDefault("sun.net.httpserver.nodelay", "true");
        // the JDK HttpServer closes idle keep-alive connections beyond 200; a 1,000-caller storm would then reuse
        // connections the server has closed (NoHttpResponseException), a harness artefact, not a component failure
        setDefault("sun.net.httpserver.maxIdleConnections", "4096");
    }

    static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("jmh-route-jvm")) {
            if (System.getProperty("bench.hotpath.store", "").isEmpty()) {
                System.clearProperty("bench.hotpath.store"); // forwarded empty: the default (file) store
            }
            routeAlternatingOnce(); // a child JVM of part 1b
            System.exit(0);
        }
        List<String> parts = new ArrayList<>(List.of(args));
        if (parts.isEmpty()) {
            parts.addAll(List.of("jmh", "e2e", "storms", "accounts", "startup"));
        }
        long start = System.nanoTime();
        machine();
        for (String part : parts) {
            long t0 = System.nanoTime();
            System.out.println();
            System.out.println("[" + part + "] " + MachineLoad.describe());
            switch (part.toLowerCase(Locale.ROOT)) {
                case "jmh" -> jmh();
                case "jmh-route" -> routeAlternating();
                case "jmh-route-jdbc" -> JdbcHotPath.run();
                case "e2e" -> EndToEnd.run();
                case "storms" -> Storms.run();
                case "accounts" -> ManyAccounts.run();
                case "startup" -> StartupAtScale.run();
                case "capacity" -> RefreshCapacity.run();
                case "capacity-ahead" -> RefreshAheadAtScale.run();
                case "capacity-429" -> TooManyRequestsStorm.run();
                case "jdbc-lease" -> LeaseCost.run();
                case "jdbc-adopt" -> ReplicaAdoption.run();
                case "jdbc-pass" -> JdbcPass.run();
                case "jdbc-window" -> RotationWindow.run();
                case "jdbc-takeover" -> LeaseTakeover.run();
                default -> throw new IllegalArgumentException("unknown part " + part + "; use jmh, jmh-route, jmh-route-jdbc, e2e, storms, accounts, startup, capacity, capacity-ahead, capacity-429, jdbc-lease, jdbc-adopt, jdbc-pass, jdbc-window, jdbc-takeover");
            }
            System.out.printf("%n(%s took %.0f s)%n", part, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("%nall done in %.0f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(0); // Camel and HTTP client threads of stopped contexts must not keep the JVM alive
    }

    private static void machine() throws Exception {
        String cpu = "?";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            cpu = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        }
        System.out.println("== machine");
        System.out.println("cpus (availableProcessors): " + Runtime.getRuntime().availableProcessors());
        System.out.println("cpu: " + cpu);
        System.out.println("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        System.out.println("max heap: " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB; jvm args: "
                           + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** JMH, hot path: tokenrefresh vs a constant header at three depths, with the gc profiler. */
    static void jmh() throws Exception {
        System.out.println();
        System.out.println("== 1. hot path (JMH 1.37, 2 forks x 5 x 1 s after 4 x 1 s warmup, -prof gc)");
        Path out = Path.of("benchmarks", "target").toFile().isDirectory() ? Path.of("benchmarks", "target")
                : Path.of("target").toFile().isDirectory() ? Path.of("target") : Path.of(".");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(HotPathBenchmark.class.getName() + ".*")
                .addProfiler(GCProfiler.class)
                .verbosity(VerboseMode.SILENT)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh-hotpath.json").toString());
        Collection<RunResult> results = new Runner(options.build()).run();

        Map<String, double[]> byName = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Result<?> primary = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double best = Double.MAX_VALUE;
            for (org.openjdk.jmh.results.BenchmarkResult br : r.getBenchmarkResults()) {
                for (org.openjdk.jmh.results.IterationResult ir : br.getIterationResults()) {
                    best = Math.min(best, ir.getPrimaryResult().getScore());
                }
            }
            byName.put(name, new double[] { primary.getScore(), primary.getScoreError(),
                                            alloc == null ? Double.NaN : alloc.getScore(), best });
        }
        System.out.printf("%-30s %12s %10s %16s %14s%n", "benchmark", "ns/op", "± (99.9%)", "best iteration",
                          "B/op allocated");
        byName.forEach((name, v) -> System.out.printf("%-30s %12.1f %10.1f %16.1f %14.1f%n", name, v[0], v[1], v[3],
                                                      v[2]));
        System.out.println();
        System.out.printf("%-16s %16s %16s %8s %14s %12s%n", "depth", "constant ns/op", "tokenrefresh", "ratio",
                          "ratio (best)", "extra B/op");
        for (String depth : List.of("isolated", "freshExchange", "route")) {
            double[] c = byName.get(depth + "_constantHeader");
            double[] t = byName.get(depth + "_tokenrefresh");
            if (c != null && t != null) {
                System.out.printf("%-16s %16.1f %16.1f %8.2f %14.2f %12.1f%n", depth, c[0], t[0], t[0] / c[0],
                                  t[3] / c[3], t[2] - c[2]);
            }
        }
        double[] floor = byName.get("route_constantProducer");
        double[] ours = byName.get("route_tokenrefresh");
        double[] constant = byName.get("route_constantHeader");
        if (floor != null && ours != null && constant != null) {
            System.out.printf("route: a to() step setting the same constant header costs %.1f ns/op (%.2f x the"
                              + " setHeader route); tokenrefresh / that step: %.2f%n", floor[0], floor[0] / constant[0],
                              ours[0] / floor[0]);
        }
        System.out.println("(ratio (best): of the fastest 1 s iterations; a busy neighbour only ever adds time)");
        System.out.println("(target: ratio <= 1.10; JSON: " + out.resolve("jmh-hotpath.json") + ")");
        routeAlternating();
    }

    /**
     * The route pair again, outside JMH: on this kind of machine a route's time differs by ±20% from one JVM to the next
     * (inlining decisions) and drifts over minutes, far more than the difference to measure. In each of several JVMs
     * both routes, and an identical constant-header route (the A/A control), share one JIT profile and run in turns,
     * block by block, so a slow patch of the machine hits all alike; a JVM's ratio is the median of its per-turn
     * ratios, and the figure is the median over the JVMs, whose A/A ratios show what the method resolves.
     */
    static void routeAlternating() throws Exception {
        int jvms = Integer.getInteger("bench.jmh.jvms", 5);
        int turns = Integer.getInteger("bench.jmh.turns", 300);
        int block = Integer.getInteger("bench.jmh.block", 20_000);
        System.out.println();
        System.out.println("== 1b. routes alternating (not JMH): " + jvms + " JVMs, each " + turns + " turns of "
                           + block + " sends per route after 10 s warm-up");
        System.out.printf("%-5s %16s %16s %16s %16s %14s %12s %14s%n", "JVM", "constant ns/op", "tokenrefresh",
                          "A/A route", "to() floor", "tokenrefresh*", "A/A*", "to() floor*");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Double> ours = new ArrayList<>();
        List<Double> again = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        for (int jvm = 1; jvm <= jvms; jvm++) {
            Process child = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-Dbench.jmh.turns=" + turns,
                    "-Dbench.jmh.block=" + block, "-Dlog4j2.configurationFile=log4j2-benchmarks.xml",
                    "-Dbench.hotpath.store=" + System.getProperty("bench.hotpath.store", ""),
                    "-cp", System.getProperty("java.class.path"), Benchmarks.class.getName(), "jmh-route-jvm")
                    .redirectErrorStream(true).start();
            String result = null;
            try (java.io.BufferedReader out = child.inputReader()) {
                for (String line; (line = out.readLine()) != null;) {
                    if (line.startsWith("ROUTE ")) {
                        result = line;
                    } else if (line.startsWith("CONNECTIONS ")) {
                        JdbcHotPath.record(jvm, line);
                    }
                }
            }
            if (child.waitFor() != 0 || result == null) {
                throw new IllegalStateException("route JVM " + jvm + " failed (exit " + child.exitValue() + ")");
            }
            String[] f = result.split(" ");
            ours.add(Double.parseDouble(f[4]));
            again.add(Double.parseDouble(f[5]));
            floor.add(Double.parseDouble(f[7]));
            System.out.printf("%-5d %16s %16s %16s %16s %14s %12s %14s%n", jvm, f[1], f[2], f[3], f[6], f[4], f[5],
                              f[7]);
        }
        ours.sort(null);
        again.sort(null);
        floor.sort(null);
        System.out.printf("route ratio, median over %d JVMs: tokenrefresh %.3f (range %.3f-%.3f), A/A %.3f (range"
                          + " %.3f-%.3f) (target <= 1.10)%n", jvms, median(ours), ours.get(0), ours.get(jvms - 1),
                          median(again), again.get(0), again.get(jvms - 1));
        System.out.printf("a to() step whose producer sets the same constant header (Camel's floor for any producer"
                          + " step): %.3f of the setHeader route (range %.3f-%.3f)%n", median(floor), floor.get(0),
                          floor.get(jvms - 1));
        System.out.println("* median over the JVM's turns of (route / constant header) in the same turn");
    }

    /**
     * One JVM of {@link #routeAlternating()}: prints "ROUTE constant ours again ratioOurs ratioAgain floor ratioFloor"
     * (ns/op medians and ratios), the floor being a to() step that sets the same constant header.
     */
    static void routeAlternatingOnce() throws Exception {
        int turns = Integer.getInteger("bench.jmh.turns", 300);
        int block = Integer.getInteger("bench.jmh.block", 20_000);
        HotPathBenchmark bench = new HotPathBenchmark();
        bench.setUp();
        try {
            List<java.util.function.Supplier<Object>> variants
                    = List.of(bench::route_constantHeader, bench::route_tokenrefresh, bench::routeConstantAgain,
                              bench::route_constantProducer);
            long warmUntil = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                for (java.util.function.Supplier<Object> v : variants) {
                    timeBlock(v, block / 10);
                }
            }
            int n = variants.size();
            double[][] ns = new double[n][turns];
            for (int turn = 0; turn < turns; turn++) {
                for (int i = 0; i < n; i++) {
                    int v = (turn + i) % n; // rotate the order, so no variant always runs right after another
                    ns[v][turn] = timeBlock(variants.get(v), block);
                }
            }
            List<Double> ratioOurs = new ArrayList<>();
            List<Double> ratioAgain = new ArrayList<>();
            List<Double> ratioProducer = new ArrayList<>();
            for (int turn = 0; turn < turns; turn++) {
                ratioOurs.add(ns[1][turn] / ns[0][turn]);
                ratioAgain.add(ns[2][turn] / ns[0][turn]);
                ratioProducer.add(ns[3][turn] / ns[0][turn]);
            }
            ratioOurs.sort(null);
            ratioAgain.sort(null);
            ratioProducer.sort(null);
            System.out.printf(Locale.ROOT, "ROUTE %.1f %.1f %.1f %.3f %.3f %.1f %.3f%n", medianOf(ns[0]),
                              medianOf(ns[1]), medianOf(ns[2]), median(ratioOurs), median(ratioAgain),
                              medianOf(ns[3]), median(ratioProducer));
            System.out.printf(Locale.ROOT, "CONNECTIONS %d %d %d%n", bench.connections() - bench.connectionsSinceSetup(),
                              bench.connectionsSinceSetup(), (long) turns * block);
        } finally {
            bench.tearDown();
        }
    }

    private static double timeBlock(java.util.function.Supplier<Object> send, int count) {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (send.get() == null) {
                throw new IllegalStateException("no exchange");
            }
        }
        return (System.nanoTime() - t0) / (double) count;
    }

    private static double medianOf(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        list.sort(null);
        return median(list);
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
