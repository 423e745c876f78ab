package io.github.cameltokenrefresh.token;

import java.time.Duration;

/**
 * The token endpoint could not be reached or answered 5xx/429. Retriable: the component backs off and tries
 * again, serving a still-valid access token meanwhile.
 */
public class TokenEndpointUnavailableException extends TokenRefreshException {

    private final int statusCode;
    private final Duration retryAfter;

    public TokenEndpointUnavailableException(String provider, String account, int statusCode, Duration retryAfter,
                                             String detail, Throwable cause) {
        super(provider, account, (statusCode > 0 ? "token endpoint answered HTTP " + statusCode : "token endpoint unreachable")
                                 + (detail == null ? "" : ": " + detail)
                                 + (retryAfter == null ? "" : " (Retry-After " + retryAfter.toSeconds() + "s)"),
              cause);
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, or 0 when no HTTP answer arrived (connection refused, timeout, reset). */
    public int getStatusCode() {
        return statusCode;
    }

    /** The server's Retry-After, or null. */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    @Override
    public String getErrorType() {
        return statusCode > 0 ? "http_" + statusCode : "unreachable";
    }
}
