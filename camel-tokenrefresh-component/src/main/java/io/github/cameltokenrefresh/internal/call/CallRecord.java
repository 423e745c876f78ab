package io.github.cameltokenrefresh.internal.call;

import java.time.Duration;
import java.time.Instant;

/**
 * What one token call did, filled in as it goes and read by the caller whether the call succeeded or not: whether it
 * was sent (it passed the rate limit and the endpoint's pause), when, how long the answer took, and a rotated refresh
 * token rescued from an answer that was unusable otherwise.
 */
public final class CallRecord {

    private Instant sentAt;
    private Duration took;
    private String rescuedRefreshToken;

    void sent(Instant at) {
        sentAt = at;
    }

    /** Not sent after all: the client refused before anything left (its provider stops). */
    void unsent() {
        sentAt = null;
    }

    void answered(Instant at) {
        took = Duration.between(sentAt, at);
    }

    void rescued(String refreshToken) {
        rescuedRefreshToken = refreshToken;
    }

    /** Whether the request left: it counts as a token call. */
    public boolean sent() {
        return sentAt != null;
    }

    /** When the request left, or null. */
    public Instant sentAt() {
        return sentAt;
    }

    /** How long the answer (or the failure to get one) took, or null when none came back yet. */
    public Duration took() {
        return took;
    }

    /**
     * The refresh token in a 2xx answer refused as unusable, when it differs from the one sent: the server has rotated,
     * so the new one must be kept. Null otherwise.
     */
    public String rescuedRefreshToken() {
        return rescuedRefreshToken;
    }
}
