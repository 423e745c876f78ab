package io.github.cameltokenrefresh.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine is with work other than ours: the figures share two cores with whatever else runs (a build,
 * another test run), so every part reports this before it starts.
 */
final class MachineLoad {

    private MachineLoad() {
    }

    /** Percent of all cores used by other processes over the next {@code millis}; -1 when /proc is not readable. */
    static double othersBusyPercent(long millis) {
        Sample sample = Sample.start();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        return sample.othersBusyPercent();
    }

    /** CPU used by other processes between start() and othersBusyPercent(), while we run whatever we run. */
    static final class Sample {
        private final long[] ticks;
        private final long own;
        private final long wall;

        private Sample(long[] ticks, long own, long wall) {
            this.ticks = ticks;
            this.own = own;
            this.wall = wall;
        }

        static Sample start() {
            try {
                return new Sample(cpuTicks(), ownCpuNanos(), System.nanoTime());
            } catch (IOException | RuntimeException e) {
                return new Sample(null, 0, 0);
            }
        }

        double othersBusyPercent() {
            if (ticks == null) {
                return -1;
            }
            try {
                long[] b = cpuTicks();
                long ownB = ownCpuNanos();
                long wallB = System.nanoTime();
                double total = b[0] - ticks[0];
                double busy = total - (b[1] - ticks[1]);
                if (total <= 0) {
                    return -1;
                }
                double ownFraction = (ownB - own) / ((double) (wallB - wall) * Runtime.getRuntime().availableProcessors());
                return Math.max(0, (busy / total - ownFraction) * 100);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /**
     * {total ticks, not-others ticks} from the first line of /proc/stat: idle, iowait, irq and softirq. Interrupt time
     * is left out of "others" because our own loopback traffic is processed there and is not charged to our process.
     */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] { total, Long.parseLong(f[4]) + Long.parseLong(f[5]) + Long.parseLong(f[6])
                                   + Long.parseLong(f[7]) };
    }

    private static long ownCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /**
     * With -Dbench.waitQuiet=SECONDS: waits (at most that long) until other processes use less than 15% of the
     * machine, so figures are not taken while a build shares the two cores. Off by default: the harness must finish
     * in bounded time.
     */
    static void awaitQuiet() {
        long limit = Long.getLong("bench.waitQuiet", 0) * 1000;
        long deadline = System.currentTimeMillis() + limit;
        while (System.currentTimeMillis() < deadline) {
            double others = othersBusyPercent(2000);
            if (others >= 0 && others < 15) {
                return;
            }
        }
    }

    static String describe() {
        awaitQuiet();
        double others = othersBusyPercent(1000);
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return String.format("other processes busy: %s of all cores (1 s sample); /proc/loadavg: %s%s",
                             others < 0 ? "?" : String.format("%.0f%%", others), load,
                             others > 10 ? "  <-- the machine is shared right now: figures below are pessimistic" : "");
    }
}
