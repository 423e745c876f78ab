package io.github.cameltokenrefresh.token;

import java.time.Instant;

/**
 * A caller needed a token call that the component does not make now: it is backing off after a failure (the cause,
 * whose error type this reports), or the provider's {@code maxTokenCallsPerSecond} allows the next call only later
 * (no cause, error type {@code rate_limited}: nothing failed). No token call was made; retriable after
 * {@link #getNextAttempt()}.
 */
public class RefreshBackoffException extends TokenRefreshException {

    /** The error type of a call refused by {@code maxTokenCallsPerSecond}. */
    public static final String RATE_LIMITED = "rate_limited";

    private final Instant nextAttempt;
    private final String errorType;

    public RefreshBackoffException(String provider, String account, Instant nextAttempt, TokenRefreshException cause) {
        super(provider, account, "no valid token; the last refresh failed (" + cause.getErrorType()
                                 + ") and the next attempt is not before " + nextAttempt,
              cause);
        this.nextAttempt = nextAttempt;
        this.errorType = null;
    }

    private RefreshBackoffException(String provider, String account, String message, Instant nextAttempt,
                                    String errorType) {
        super(provider, account, message, null);
        this.nextAttempt = nextAttempt;
        this.errorType = errorType;
    }

    /** No token call now: {@code maxTokenCallsPerSecond} allows the next one at {@code nextPermit}. */
    public static RefreshBackoffException rateLimited(String provider, String account, double maxTokenCallsPerSecond,
                                                      Instant nextPermit) {
        return new RefreshBackoffException(provider, account, "no token call now: maxTokenCallsPerSecond="
                                                              + maxTokenCallsPerSecond + " allows the next one at "
                                                              + nextPermit,
                                           nextPermit, RATE_LIMITED);
    }

    public Instant getNextAttempt() {
        return nextAttempt;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    /** The cause's error type, or {@code rate_limited} for a call {@code maxTokenCallsPerSecond} refused. */
    @Override
    public String getErrorType() {
        if (errorType != null) {
            return errorType;
        }
        return getCause() instanceof TokenRefreshException cause ? cause.getErrorType() : "backoff";
    }
}
