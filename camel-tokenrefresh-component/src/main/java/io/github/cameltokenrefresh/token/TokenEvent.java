package io.github.cameltokenrefresh.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Something that happened to a provider/account's token. Holds no token: safe to log, route and mail.
 *
 * @param expiresAt         the new token's expiry (REFRESHED), or the current token's, or null
 * @param tokenCallDuration how long the token call took, or null when none was made
 * @param errorType         the error type of a failure (an RFC 6749 error code or a short kind), or null
 * @param message           a human-readable description; for failures the exception message, which never contains a
 *                          secret
 * @param authorizationUrl  REAUTHORIZATION_NEEDED only: a fresh signed authorization link for the account (valid
 *                          stateTtl; a capability, not a secret: whoever completes it connects their login to the
 *                          account, so send it to the account's owner only); null otherwise
 */
public record TokenEvent(Type type, String provider, String account, Instant time, Instant expiresAt,
                         Duration tokenCallDuration, String errorType, String message, String authorizationUrl) {

    /** An event without a link. */
    public TokenEvent(Type type, String provider, String account, Instant time, Instant expiresAt,
                      Duration tokenCallDuration, String errorType, String message) {
        this(type, provider, account, time, expiresAt, tokenCallDuration, errorType, message, null);
    }

    public enum Type {
        /** A new access token was obtained and saved. */
        REFRESHED,
        /** A refresh failed and will be retried after a backoff (endpoint down, 5xx, 429, unusable answer). */
        REFRESH_FAILED,
        /** The refresh token was refused (invalid_grant): the account must be re-authorized. */
        INVALID_GRANT,
        /** The refresh token nears the end of its known lifetime: re-authorize before it expires. */
        REFRESH_TOKEN_EXPIRING,
        /** An account was authorized through the authorization-code callback: its new token pair is saved. */
        AUTHORIZED,
        /** An authorization callback failed after a valid state (the user denied, the code was refused, ...). */
        AUTHORIZATION_FAILED,
        /**
         * This instance took over a refresh lease its holder never released (it may have died during a token call):
         * the stored refresh token may already be spent.
         */
        LEASE_INTERRUPTED,
        /**
         * The account was disconnected (operation disconnect): its refresh token revoked at the provider's revocation
         * endpoint when it has one (the message says whether), its record deleted; it refuses tokens until onboarded
         * again.
         */
        DISCONNECTED,

        /**
         * Only a person can keep the account alive now: its refresh token nears the end of its known life (after
         * REFRESH_TOKEN_EXPIRING) or was refused (after INVALID_GRANT). Carries a fresh authorization link (with the
         * authorization-code flow configured; the event is not sent without it) to mail or post to the account's owner.
         */
        REAUTHORIZATION_NEEDED;

        /** The name users write in the events option: refreshed, refresh_failed, ... */
        public String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return "TokenEvent[" + type + " " + provider + "/" + account + " at " + time
               + (expiresAt == null ? "" : ", expiresAt=" + expiresAt)
               + (errorType == null ? "" : ", error=" + errorType)
               + (authorizationUrl == null ? "" : ", with an authorization link") + "]";
    }
}
