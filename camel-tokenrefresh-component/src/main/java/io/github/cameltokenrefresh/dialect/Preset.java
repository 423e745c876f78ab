package io.github.cameltokenrefresh.dialect;

import java.time.Duration;

/**
 * Defaults for a named provider's dialect. A preset only fills options the user left unset; any option overrides it.
 */
public enum Preset {

    /** RFC 6749 §6: form body, grant_type=refresh_token, HTTP Basic client authentication. */
    oauth2(null, BodyEncoding.form, "refresh_token", ClientAuthentication.basic, Duration.ofHours(1), null),

    /**
     * Newsletter2Go: JSON body, Basic auth key, grant type {@code https://nl2go.com/jwt} as its refresh document says
     * (public client libraries send {@code https://nl2go.com/jwt_refresh}; set grantType to use that). Access tokens
     * last 2 h, refresh tokens one month and come back unchanged.
     */
    newsletter2go("https://api.newsletter2go.com/oauth/v2/token", BodyEncoding.json, "https://nl2go.com/jwt",
                  ClientAuthentication.basic, Duration.ofHours(2), Duration.ofDays(30)),

    /** AWeber: form body with grant_type=refresh_token, Basic client credentials; access tokens last 2 h. */
    aweber("https://auth.aweber.com/oauth2/token", BodyEncoding.form, "refresh_token", ClientAuthentication.basic,
           Duration.ofHours(2), null);

    private final String tokenUrl;
    private final BodyEncoding encoding;
    private final String grantType;
    private final ClientAuthentication clientAuthentication;
    private final Duration defaultExpiresIn;
    private final Duration refreshTokenLifetime;

    Preset(String tokenUrl, BodyEncoding encoding, String grantType, ClientAuthentication clientAuthentication,
           Duration defaultExpiresIn, Duration refreshTokenLifetime) {
        this.tokenUrl = tokenUrl;
        this.encoding = encoding;
        this.grantType = grantType;
        this.clientAuthentication = clientAuthentication;
        this.defaultExpiresIn = defaultExpiresIn;
        this.refreshTokenLifetime = refreshTokenLifetime;
    }

    /** The vendor's token URL, or null when every deployment has its own (plain OAuth2). */
    public String tokenUrl() {
        return tokenUrl;
    }

    /**
     * The vendor's API base URL, which the provider's tokens are for (and sent to only), or null when every deployment
     * has its own (plain OAuth2). AWeber's API is versioned under /1.0; Newsletter2Go's lives at the host's root.
     */
    public String apiBase() {
        return switch (this) {
            case aweber -> "https://api.aweber.com/1.0";
            case newsletter2go -> "https://api.newsletter2go.com";
            default -> null;
        };
    }

    public BodyEncoding encoding() {
        return encoding;
    }

    public String grantType() {
        return grantType;
    }

    public String grantTypeField() {
        return "grant_type";
    }

    public String refreshTokenField() {
        return "refresh_token";
    }

    public GrantTypeLocation grantTypeLocation() {
        return GrantTypeLocation.body;
    }

    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    /** The grant type value of the password grant: Newsletter2Go authenticates with its own. */
    public String passwordGrantType() {
        return this == newsletter2go ? "https://nl2go.com/jwt" : "password";
    }

    /**
     * The vendor's authorization endpoint of the authorization-code flow, or null when every deployment has its own
     * (plain OAuth2, RFC 6749 §4.1) or the vendor documents none (Newsletter2Go onboards by password grant).
     */
    public String authorizationUrl() {
        return this == aweber ? "https://auth.aweber.com/oauth2/authorize" : null;
    }

    /** Lifetime assumed when a token response carries neither expires_in nor expires_at. */
    public Duration defaultExpiresIn() {
        return defaultExpiresIn;
    }

    /** How long a refresh token lives, when the vendor documents it; null when unknown. */
    public Duration refreshTokenLifetime() {
        return refreshTokenLifetime;
    }
}
