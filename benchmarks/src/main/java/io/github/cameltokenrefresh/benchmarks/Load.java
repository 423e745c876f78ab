package io.github.cameltokenrefresh.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/** Closed-loop callers: each thread sends, waits for the answer, sends again, for a fixed time and at most maxOps. */
final class Load {

    private static final Processor NOTHING = exchange -> {
    };

    /** othersBusy: percent of the machine other processes used meanwhile (-1: unknown). */
    record Result(long ops, long errors, double seconds, Latencies latencies, String firstError, double othersBusy) {
        double throughput() {
            return ops / seconds;
        }
    }

    private Load() {
    }

    /**
     * Every caller thread sends to each endpoint in turn (thread i starts at endpoint i), so drift hits all variants
     * alike: the finest pairing there is. Per-endpoint latencies, merged over threads, plus the error count.
     */
    static List<Latencies> runAlternating(ProducerTemplate template, List<Endpoint> endpoints, int threads, long millis)
            throws InterruptedException {
        int n = endpoints.size();
        List<List<Latencies>> perEndpoint = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            perEndpoint.add(new ArrayList<>());
        }
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + millis * 1_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            List<Latencies> mine = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                Latencies l = new Latencies();
                mine.add(l);
                perEndpoint.get(k).add(l);
            }
            int first = i % n;
            Thread t = new Thread(() -> {
                for (long count = 0; System.nanoTime() < end && count < 10_000_000; count++) {
                    int k = (int) ((first + count) % n);
                    long t0 = System.nanoTime();
                    Exchange result = template.send(endpoints.get(k), NOTHING);
                    long took = System.nanoTime() - t0;
                    Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                    if (result.getException() != null || (status != null && status != 200)) {
                        errors.incrementAndGet();
                    } else {
                        mine.get(k).record(took);
                    }
                }
            }, "alternating-" + i);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join(millis + 60_000);
        }
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " failed calls in the alternating run");
        }
        List<Latencies> merged = new ArrayList<>();
        for (List<Latencies> parts : perEndpoint) {
            merged.add(Latencies.merge(parts));
        }
        return merged;
    }

    static Result run(ProducerTemplate template, Endpoint endpoint, int threads, long millis, long maxOps)
            throws InterruptedException {
        List<Latencies> recorders = new ArrayList<>();
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        StringBuilder firstError = new StringBuilder();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] window = new long[2];
        for (int i = 0; i < threads; i++) {
            Latencies mine = new Latencies();
            recorders.add(mine);
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = window[1];
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end || ops.incrementAndGet() > maxOps) {
                        break;
                    }
                    Exchange result = template.send(endpoint, NOTHING);
                    long took = System.nanoTime() - t0;
                    Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                    if (result.getException() != null || (status != null && status != 200)) {
                        errors.incrementAndGet();
                        synchronized (firstError) {
                            if (firstError.length() == 0) {
                                firstError.append(result.getException() != null ? result.getException().toString()
                                        : "HTTP " + status);
                            }
                        }
                    } else {
                        mine.record(took);
                    }
                }
            }, "load-" + i);
            workers.add(t);
            t.start();
        }
        ready.await();
        MachineLoad.Sample sample = MachineLoad.Sample.start();
        window[0] = System.nanoTime();
        window[1] = window[0] + millis * 1_000_000L;
        go.countDown();
        for (Thread t : workers) {
            t.join(millis + 60_000);
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        Latencies all = Latencies.merge(recorders);
        return new Result(all.count(), errors.get(), seconds, all, firstError.length() == 0 ? null : firstError.toString(),
                          sample.othersBusyPercent());
    }
}
