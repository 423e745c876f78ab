package io.github.cameltokenrefresh.internal.call;

import java.time.Duration;
import java.time.Instant;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;

/**
 * The token endpoint's own backoff, for every account of the provider: a 429, 503 or a connection failure is about
 * the endpoint, not one account, so after one the provider makes no token call for any account until the pause ends
 * (Retry-After, or the policy's exponential backoff), while every account keeps serving a token that has not
 * expired. When the pause is over, one token call goes first (the probe) while the provider's other token calls wait
 * for its outcome: a recovered endpoint gets one call, not one per pool thread at once, and a still-failing one
 * pauses everyone again after that one. The first answer other than 429/503/unreachable ends it.
 * <p>
 * Who starts the pause: an account that got the trouble answer, until its own next attempt ({@link #failed}), so one
 * account and the provider agree; for a caller without a backoff of its own (the code exchange), {@link TokenEndpoint}
 * as the answer arrives ({@link #troubled}).
 */
public final class EndpointBackoff {

    /** Longer than a token call's deadline: a probe that never reports (its thread died) delays the others this long. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

    /** The endpoint failed {@code failures} times in a row; no token call before {@code until}. */
    public record Pause(TokenEndpointUnavailableException cause, int failures, Instant until) {
    }

    private final RefreshPolicy policy;
    private volatile Pause pause;
    /** A token call after the pause ended is out as the probe: the others wait in {@link #beforeCall}. */
    private boolean probing;

    /** @param policy the provider's backoff: how long the endpoint pauses when the trouble names no Retry-After */
    public EndpointBackoff(RefreshPolicy policy) {
        this.policy = policy;
    }

    /** The pause in force at {@code now}, or null. */
    public Pause pausedAt(long now) {
        Pause p = pause;
        return p != null && now < p.until().toEpochMilli() ? p : null;
    }

    /** A caller with no backoff of its own got {@code cause} at {@code at}: the first backoff step, or Retry-After. */
    Pause troubled(TokenEndpointUnavailableException cause, Instant at) {
        return failed(cause, at.plusMillis(policy.backoffMillis(1, cause.getRetryAfter())));
    }

    /**
     * The endpoint is in trouble: pause every account's token calls until {@code until}, the failing account's own
     * next attempt (its backoff, or the endpoint's Retry-After), so one account and the provider agree.
     */
    public synchronized Pause failed(TokenEndpointUnavailableException cause, Instant until) {
        Pause previous = pause;
        int failures = previous == null ? 1 : previous.failures() + 1;
        if (previous != null && previous.until().isAfter(until)) {
            until = previous.until();
        }
        pause = new Pause(cause, failures, until);
        probing = false;
        notifyAll();
        return pause;
    }

    /**
     * Just before a token call: refuses while paused; once the pause is over, lets the first call through as the probe
     * and holds the others until it answers, then lets them go (the endpoint answered) or refuses them (paused again).
     *
     * @throws RefreshBackoffException while the endpoint is paused
     */
    synchronized void beforeCall(String provider, String account, long now) {
        // real time: this waits for another thread's token call, whatever clock the pause is judged by
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        while (true) {
            Pause p = pause;
            if (p == null) {
                return;
            }
            if (now < p.until().toEpochMilli()) {
                throw refusal(provider, account, p);
            }
            long left = deadline - System.nanoTime();
            if (!probing || left <= 0) {
                probing = true; // this call is the probe (or takes over one that never reported)
                deadline = Long.MAX_VALUE;
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refusal(provider, account, p);
            }
        }
    }

    /** A call let through {@link #beforeCall} sent nothing after all: if it was the probe, the next call is. */
    synchronized void notSent() {
        if (probing) {
            probing = false;
            notifyAll();
        }
    }

    /** The token endpoint answered (a token, or an error that is not about the endpoint): it works again. */
    public void succeeded() {
        if (pause != null) {
            synchronized (this) {
                pause = null;
                probing = false;
                notifyAll();
            }
        }
    }

    public static RefreshBackoffException refusal(String provider, String account, Pause pause) {
        return new RefreshBackoffException(provider, account, pause.until(), pause.cause());
    }

    /** When token calls resume, or null when they are not paused: for monitoring. */
    public Instant pausedUntil(long now) {
        Pause p = pausedAt(now);
        return p == null ? null : p.until();
    }

    /** The error type that started the pause in force, or null. */
    public String pauseErrorType(long now) {
        Pause p = pausedAt(now);
        return p == null ? null : p.cause().getErrorType();
    }
}
