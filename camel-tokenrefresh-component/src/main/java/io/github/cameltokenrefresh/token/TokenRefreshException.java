package io.github.cameltokenrefresh.token;

import org.apache.camel.RuntimeCamelException;

/**
 * Base of every failure to obtain a token. Messages name the provider and account and never contain a token or a
 * secret, so they are safe in logs, exchange properties and error handlers.
 */
public class TokenRefreshException extends RuntimeCamelException {

    private final String provider;
    private final String account;

    public TokenRefreshException(String provider, String account, String message, Throwable cause) {
        super("tokenrefresh:" + provider + " account '" + account + "': " + message, cause);
        this.provider = provider;
        this.account = account;
    }

    public String getProvider() {
        return provider;
    }

    public String getAccount() {
        return account;
    }

    /** True when asking again later may succeed without anyone changing configuration or refresh tokens. */
    public boolean isRetriable() {
        return false;
    }

    /** The error code for health checks and metrics: an RFC 6749 error code or a short kind. */
    public String getErrorType() {
        return "error";
    }
}
