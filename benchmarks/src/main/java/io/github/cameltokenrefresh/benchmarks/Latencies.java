package io.github.cameltokenrefresh.benchmarks;

import java.util.Arrays;

/** Latencies in nanoseconds, recorded by one thread (merge the recorders of several threads afterwards). */
final class Latencies {

    private long[] values = new long[1024];
    private int size;

    void record(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int count() {
        return size;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies part : parts) {
            for (int i = 0; i < part.size; i++) {
                all.record(part.values[i]);
            }
        }
        Arrays.sort(all.values, 0, all.size);
        return all;
    }

    /** Nearest-rank percentile of a merged (sorted) recorder, in nanoseconds. */
    long percentile(double p) {
        if (size == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return values[Math.min(size, Math.max(1, rank)) - 1];
    }

    double mean() {
        if (size == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum / size;
    }

    long max() {
        return size == 0 ? 0 : values[size - 1];
    }

    long countAbove(long nanos) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (values[i] > nanos) {
                n++;
            }
        }
        return n;
    }

    static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    static String us(long nanos) {
        return String.format("%.0f µs", nanos / 1e3);
    }

    String summaryMs() {
        return "n=" + size + " p50=" + ms(percentile(50)) + " p99=" + ms(percentile(99)) + " max=" + ms(max());
    }
}
