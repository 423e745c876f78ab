package io.github.cameltokenrefresh;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@link TokenRefreshConfiguration} that say when one account's token is renewed: lifetimes, margins,
 * refresh-ahead and the backoff after failures. One of the option groups the configuration is made of; configure a
 * {@link TokenRefreshConfiguration}.
 */
@UriParams
public abstract class RefreshTimingOptions extends CredentialOptions {

    @UriParam(label = "timing", javaType = "java.time.Duration",
              description = "Lifetime assumed when a token response has neither expires_in nor expires_at. Default: 1h;"
                            + " 2h for newsletter2go and aweber.")
    private Long defaultExpiresIn;
    @UriParam(label = "timing", defaultValue = "30s", javaType = "java.time.Duration",
              description = "A token with less than this left counts as expired and callers wait for a refresh. Capped"
                            + " at 10% of the token's lifetime.")
    private long expiryMargin = 30_000;
    @UriParam(label = "timing", defaultValue = "5m", javaType = "java.time.Duration",
              description = "A token with less than this left is still handed out at once while one background refresh"
                            + " renews it. Capped at 25% of the token's lifetime.")
    private long refreshAhead = 300_000;
    @UriParam(label = "timing", defaultValue = "false",
              description = "Spread refresh-ahead over the window: each account begins its refresh-ahead at a point of"
                            + " its own (fixed by provider, account and the token's issue time) in the first half of"
                            + " the time between refreshAhead and expiryMargin before expiry, so accounts onboarded"
                            + " together are not renewed together. Off: every account begins at refreshAhead.")
    private boolean refreshAheadJitter;
    @UriParam(label = "timing", defaultValue = "1s", javaType = "java.time.Duration",
              description = "The pause after a first retriable refresh failure; doubles with each further failure.")
    private long backoffInitialDelay = 1_000;
    @UriParam(label = "timing", defaultValue = "5m", javaType = "java.time.Duration",
              description = "The longest pause between refresh attempts after failures.")
    private long backoffMaxDelay = 300_000;
    @UriParam(label = "timing", javaType = "java.time.Duration",
              description = "How long a refresh token lives, when the provider documents it (newsletter2go: 30 days)."
                            + " Counted from when the component first received or was given the refresh token.")
    private Long refreshTokenLifetime;
    @UriParam(label = "timing", defaultValue = "7d", javaType = "java.time.Duration",
              description = "With a known refreshTokenLifetime: warn (log and a REFRESH_TOKEN_EXPIRING event) this long"
                            + " before the refresh token expires, so someone re-authorizes in time.")
    private long refreshTokenExpiryWarning = 7L * 24 * 3600 * 1000;

    public Long getDefaultExpiresIn() {
        return defaultExpiresIn;
    }

    public void setDefaultExpiresIn(Long defaultExpiresIn) {
        this.defaultExpiresIn = defaultExpiresIn;
    }

    public long getExpiryMargin() {
        return expiryMargin;
    }

    public void setExpiryMargin(long expiryMargin) {
        this.expiryMargin = expiryMargin;
    }

    public long getRefreshAhead() {
        return refreshAhead;
    }

    public void setRefreshAhead(long refreshAhead) {
        this.refreshAhead = refreshAhead;
    }

    public boolean isRefreshAheadJitter() {
        return refreshAheadJitter;
    }

    public void setRefreshAheadJitter(boolean refreshAheadJitter) {
        this.refreshAheadJitter = refreshAheadJitter;
    }

    public long getBackoffInitialDelay() {
        return backoffInitialDelay;
    }

    public void setBackoffInitialDelay(long backoffInitialDelay) {
        this.backoffInitialDelay = backoffInitialDelay;
    }

    public long getBackoffMaxDelay() {
        return backoffMaxDelay;
    }

    public void setBackoffMaxDelay(long backoffMaxDelay) {
        this.backoffMaxDelay = backoffMaxDelay;
    }

    public Long getRefreshTokenLifetime() {
        return refreshTokenLifetime;
    }

    public void setRefreshTokenLifetime(Long refreshTokenLifetime) {
        this.refreshTokenLifetime = refreshTokenLifetime;
    }

    public long getRefreshTokenExpiryWarning() {
        return refreshTokenExpiryWarning;
    }

    public void setRefreshTokenExpiryWarning(long refreshTokenExpiryWarning) {
        this.refreshTokenExpiryWarning = refreshTokenExpiryWarning;
    }
}
