package io.github.cameltokenrefresh.token;

import java.time.Instant;

/**
 * A caller needed a token while the component was backing off after a retriable failure. No token call was made;
 * the cause is the failure that started the backoff.
 */
public class RefreshBackoffException extends TokenRefreshException {

    private final Instant nextAttempt;

    public RefreshBackoffException(String provider, String account, Instant nextAttempt, TokenRefreshException cause) {
        super(provider, account, "no valid token; the last refresh failed (" + cause.getErrorType()
                                 + ") and the next attempt is not before " + nextAttempt,
              cause);
        this.nextAttempt = nextAttempt;
    }

    /** For a backoff with no failure behind it (a limit the component keeps itself). */
    protected RefreshBackoffException(String provider, String account, String message, Instant nextAttempt) {
        super(provider, account, message, null);
        this.nextAttempt = nextAttempt;
    }

    public Instant getNextAttempt() {
        return nextAttempt;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    @Override
    public String getErrorType() {
        return getCause() instanceof TokenRefreshException cause ? cause.getErrorType() : "backoff";
    }
}
