package io.github.cameltokenrefresh.internal.observe;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * How busy a provider's refresh pool is now: refreshes running on its threads, and refreshes queued for a thread.
 * Each is -1 when the pool is not a {@link ThreadPoolExecutor} (a context whose ThreadPoolFactory makes another
 * kind), since then nothing can say.
 */
record RefreshPoolLoad(int active, int queued, int threads) {

    static RefreshPoolLoad of(ExecutorService pool) {
        if (pool instanceof ThreadPoolExecutor executor) {
            return new RefreshPoolLoad(executor.getActiveCount(), executor.getQueue().size(),
                                       executor.getMaximumPoolSize());
        }
        return new RefreshPoolLoad(-1, -1, -1);
    }
}
