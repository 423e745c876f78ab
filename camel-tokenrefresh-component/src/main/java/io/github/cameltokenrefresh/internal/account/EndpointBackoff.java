package io.github.cameltokenrefresh.internal.account;

import java.time.Instant;

import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;

/**
 * The token endpoint's own backoff, for every account of the provider: a 429, 503 or a connection failure is about
 * the endpoint, not one account, so after one the provider makes no token call for any account until the pause ends
 * (Retry-After, or the policy's exponential backoff), while every account keeps serving a token that has not
 * expired. The first success ends it.
 */
public final class EndpointBackoff {

    /** The endpoint failed {@code failures} times in a row; no token call before {@code until}. */
    record Pause(TokenEndpointUnavailableException cause, int failures, Instant until) {
    }

    private volatile Pause pause;

    /** The pause in force at {@code now}, or null. */
    Pause pausedAt(long now) {
        Pause p = pause;
        return p != null && now < p.until().toEpochMilli() ? p : null;
    }

    /**
     * The endpoint is in trouble: pause every account's token calls until {@code until}, the failing account's own
     * next attempt (its backoff, or the endpoint's Retry-After), so one account and the provider agree.
     */
    synchronized Pause failed(TokenEndpointUnavailableException cause, Instant until) {
        Pause previous = pause;
        int failures = previous == null ? 1 : previous.failures() + 1;
        if (previous != null && previous.until().isAfter(until)) {
            until = previous.until();
        }
        pause = new Pause(cause, failures, until);
        return pause;
    }

    /** A token call succeeded: the endpoint works again. */
    void succeeded() {
        if (pause != null) {
            pause = null;
        }
    }

    static RefreshBackoffException refusal(String provider, String account, Pause pause) {
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
