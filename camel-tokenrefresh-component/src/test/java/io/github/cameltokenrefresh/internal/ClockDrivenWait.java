package io.github.cameltokenrefresh.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit.ClockWait;
import io.github.cameltokenrefresh.testing.MutableClock;

/**
 * The rate limit's wait for a clock moved by hand: a waiter is woken when the clock moves rather than polling it, and
 * the test can see who waits and at which clock time each last looked, so it knows a waiter has seen a time and kept
 * waiting (nothing to sleep for, nothing to guess). Public for the account tests: their refreshes wait for permits.
 */
public final class ClockDrivenWait implements ClockWait {

    private final MutableClock clock;
    /** Each waiting thread and the clock time (ms) it last saw before it went back to waiting. Guarded by this. */
    private final Map<Thread, Long> lookedAt = new HashMap<>();

    public ClockDrivenWait(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void until(Clock waitedOn, long dueMillis) throws InterruptedException {
        Thread self = Thread.currentThread();
        try {
            long now;
            while ((now = waitedOn.millis()) < dueMillis) {
                lookedAt.put(self, now);
                wait();
            }
        } finally {
            lookedAt.remove(self);
        }
    }

    /** Moves the clock and wakes every waiter, under the lock a waiter reads the clock with: no wake-up is lost. */
    public synchronized void advance(Duration step) {
        clock.advance(step);
        notifyAll();
    }

    public synchronized boolean waiting(Thread thread) {
        return lookedAt.containsKey(thread);
    }

    synchronized Set<Thread> waiters() {
        return Set.copyOf(lookedAt.keySet());
    }

    /** Whether someone waits and every waiter has looked at the clock at {@code millis}. */
    synchronized boolean allWaitersSaw(long millis) {
        return !lookedAt.isEmpty() && lookedAt.values().stream().allMatch(seen -> seen == millis);
    }

    /** Whether each of {@code threads} still waits, having looked at the clock at {@code millis}. */
    synchronized boolean eachStillWaitsHavingSeen(Set<Thread> threads, long millis) {
        return threads.stream().allMatch(t -> Long.valueOf(millis).equals(lookedAt.get(t)));
    }
}
