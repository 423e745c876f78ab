package io.github.cameltokenrefresh.source;

import java.time.Duration;
import java.time.Instant;

/** Something that happened to a provider/account's token. Holds no token: safe to log, route and mail. */
public final class TokenEvent {

    public enum Type {
        /** A new access token was obtained and saved. */
        REFRESHED,
        /** A refresh failed and will be retried after a backoff (endpoint down, 5xx, 429, unusable answer). */
        REFRESH_FAILED,
        /** The refresh token was refused (invalid_grant): the account must be re-authorized. */
        INVALID_GRANT,
        /** The refresh token nears the end of its known lifetime: re-authorize before it expires. */
        REFRESH_TOKEN_EXPIRING
    }

    private final Type type;
    private final String provider;
    private final String account;
    private final Instant time;
    private final Instant expiresAt;
    private final Duration tokenCallDuration;
    private final String errorType;
    private final String message;

    public TokenEvent(Type type, String provider, String account, Instant time, Instant expiresAt,
                      Duration tokenCallDuration, String errorType, String message) {
        this.type = type;
        this.provider = provider;
        this.account = account;
        this.time = time;
        this.expiresAt = expiresAt;
        this.tokenCallDuration = tokenCallDuration;
        this.errorType = errorType;
        this.message = message;
    }

    public Type getType() {
        return type;
    }

    public String getProvider() {
        return provider;
    }

    public String getAccount() {
        return account;
    }

    public Instant getTime() {
        return time;
    }

    /** The new token's expiry (REFRESHED), or the current token's, or null. */
    public Instant getExpiresAt() {
        return expiresAt;
    }

    /** How long the token call took, or null when none was made. */
    public Duration getTokenCallDuration() {
        return tokenCallDuration;
    }

    /** The error type of a failure (an RFC 6749 error code or a short kind), or null. */
    public String getErrorType() {
        return errorType;
    }

    /** A human-readable description; for failures the exception message, which never contains a secret. */
    public String getMessage() {
        return message;
    }

    @Override
    public String toString() {
        return "TokenEvent[" + type + " " + provider + "/" + account + " at " + time
               + (expiresAt == null ? "" : ", expiresAt=" + expiresAt)
               + (errorType == null ? "" : ", error=" + errorType) + "]";
    }
}
