package io.github.cameltokenrefresh.internal.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.github.cameltokenrefresh.token.RefreshBackoffException;
import org.apache.camel.RuntimeCamelException;

/**
 * The provider's {@code maxTokenCallsPerSecond}: every token call (of every account, and the code exchange) takes a
 * permit here first, in {@link TokenEndpoint}. Permits are evenly spaced, one every {@code 1 / limit} seconds of the
 * provider's clock, handed out in order and never saved up while idle, so no second of that clock (any half-open
 * interval of one second) holds more calls than the limit.
 * <p>
 * Who waits: a caller that needs a token now waits for the next permit when it comes within {@link #callerWait()},
 * else fails with a {@code rate_limited} {@link RefreshBackoffException}; background work (a refresh-ahead, an account
 * of a pass) never waits on a pool thread: a pass waits for each permit on its own thread before it hands the account to the pool
 * ({@link #awaitPermitForPass()}, the permit then travels with the task), a refresh-ahead finding no permit is left
 * to the next caller in the window.
 */
public final class TokenCallRateLimit {

    /** No limit: every method answers at once. */
    public static final TokenCallRateLimit NONE = new TokenCallRateLimit("", 0, Clock.systemUTC());

    /** The least a caller waits for a permit; more when permits are rarer than that. */
    static final Duration MIN_CALLER_WAIT = Duration.ofSeconds(5);
    /** How often a waiter looks at the clock: the provider's clock may be moved by hand (tests), so it is polled. */
    private static final long POLL_MILLIS = 20;
    /** The production wait: a {@link Clock} cannot say when it moves, so it is looked at every {@link #POLL_MILLIS}. */
    static final ClockWait POLLING = (clock, dueMillis) -> {
        long remaining;
        while ((remaining = dueMillis - clock.millis()) > 0) {
            Thread.sleep(Math.min(remaining, POLL_MILLIS));
        }
    };
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final String provider;
    private final double perSecond;
    private final long intervalNanos;
    private final Clock clock;
    private final ClockWait clockWait;
    /** A permit that a pass took for the account its task refreshes: used by that task's first token call. */
    private final ThreadLocal<Boolean> prepaid = new ThreadLocal<>();
    /** Epoch nanos (millis × 10⁶) of the next permit not yet handed out. */
    private long nextFree = Long.MIN_VALUE;

    /** @param perSecond 0 for no limit */
    public TokenCallRateLimit(String provider, double perSecond, Clock clock) {
        this(provider, perSecond, clock, POLLING);
    }

    /** @param clockWait how a caller waits for its permit on {@code clock}; tests pass one their clock wakes */
    public TokenCallRateLimit(String provider, double perSecond, Clock clock, ClockWait clockWait) {
        this.provider = provider;
        this.perSecond = perSecond;
        // rounded up, so rounding never lets one call too many into a second
        this.intervalNanos = perSecond <= 0 ? 0 : (long) Math.ceil(1_000_000_000d / perSecond);
        this.clock = clock;
        this.clockWait = clockWait;
    }

    public boolean limited() {
        return intervalNanos > 0;
    }

    public double perSecond() {
        return perSecond;
    }

    /** How long a caller waits for a permit at most: 5 s, or one permit's spacing when that is longer. */
    public Duration callerWait() {
        return limited() ? Duration.ofNanos(Math.max(MIN_CALLER_WAIT.toNanos(), intervalNanos)) : Duration.ZERO;
    }

    /** Whether a permit is free now: a refresh-ahead is not even started otherwise. */
    public boolean freeNow() {
        if (!limited()) {
            return true;
        }
        synchronized (this) {
            return nextFree <= nowNanos();
        }
    }

    /**
     * Takes a permit for one token call of {@code account}: the one a pass took for this task, else one free now,
     * else (when {@code mayWait}) the next one if it comes within {@link #callerWait()}, waited for on the clock.
     *
     * @throws RefreshBackoffException {@code rate_limited}, when none is to be had
     */
    void acquire(String account, boolean mayWait) {
        if (!limited()) {
            return;
        }
        if (Boolean.TRUE.equals(prepaid.get())) {
            prepaid.remove();
            return;
        }
        long slot = reserve(mayWait ? callerWait().toNanos() : 0);
        if (slot == Long.MIN_VALUE) {
            throw RefreshBackoffException.rateLimited(provider, account, perSecond, nextFreeAt());
        }
        awaitSlot(slot);
    }

    /**
     * For a pass, on the pass's own thread: waits for the next permit, however far, and takes it for the task about
     * to be handed to the pool, which runs {@link #withPrepaidPermit} around its refresh.
     */
    public void awaitPermitForPass() {
        if (limited()) {
            awaitSlot(reserve(Long.MAX_VALUE));
        }
    }

    /** Runs a pass's task with the permit the pass took for it; an unused permit is dropped, never carried over. */
    public <T> T withPrepaidPermit(Supplier<T> task) {
        if (!limited()) {
            return task.get();
        }
        prepaid.set(Boolean.TRUE);
        try {
            return task.get();
        } finally {
            prepaid.remove();
        }
    }

    /** When the next permit is free, for messages and monitoring. */
    public synchronized Instant nextFreeAt() {
        long at = Math.max(nextFree, nowNanos());
        return Instant.ofEpochMilli(ceilMillis(at));
    }

    /** The slot of the permit taken, or Long.MIN_VALUE when the next one is further than {@code maxWaitNanos}. */
    private synchronized long reserve(long maxWaitNanos) {
        long now = nowNanos();
        long slot = Math.max(nextFree, now);
        if (slot - now > maxWaitNanos) {
            return Long.MIN_VALUE;
        }
        nextFree = slot + intervalNanos;
        return slot;
    }

    private void awaitSlot(long slotNanos) {
        try {
            clockWait.until(clock, ceilMillis(slotNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeCamelException("interrupted while waiting for a token call permit", e);
        }
    }

    private long nowNanos() {
        return clock.millis() * NANOS_PER_MILLI;
    }

    private static long ceilMillis(long nanos) {
        return Math.floorDiv(nanos + NANOS_PER_MILLI - 1, NANOS_PER_MILLI);
    }

    @Override
    public String toString() {
        return limited() ? "TokenCallRateLimit[" + perSecond + "/s]" : "TokenCallRateLimit[none]";
    }

    /**
     * Waits until a clock reads a given time. The permit's time is the provider's clock's to decide, and that clock
     * may be one a test moves by hand: such a test passes a wait its clock wakes, instead of one that polls.
     */
    @FunctionalInterface
    public interface ClockWait {
        /** Returns once {@code clock.millis() >= dueMillis}. */
        void until(Clock clock, long dueMillis) throws InterruptedException;
    }
}
