package io.github.cameltokenrefresh.internal.wire;

import java.time.Clock;

import io.github.cameltokenrefresh.dialect.FallbackGrantType;

/**
 * An initial grant the component may run unattended when the refresh token is dead or missing: the resource owner
 * password grant (Newsletter2Go's documented authentication, RFC 6749 §4.3), client credentials (§4.4) or the JWT
 * bearer grant (RFC 7523 §2.1). It gets a new token without a person, so no re-authorization is needed.
 *
 * @param jwtBearer the JWT bearer grant's settings; null for the other grants
 */
public record FallbackGrant(FallbackGrantType fallbackGrant, String passwordGrantValue, String username,
                            String password, JwtBearer jwtBearer) {

    public FallbackGrant(FallbackGrantType fallbackGrant, String passwordGrantValue, String username, String password) {
        this(fallbackGrant, passwordGrantValue, username, password, null);
    }

    /** The grant_type value sent. */
    public String grantValue() {
        switch (fallbackGrant) {
            case password:
                return passwordGrantValue;
            case jwt_bearer:
                return JwtBearerGrant.GRANT_TYPE;
            default:
                return "client_credentials";
        }
    }

    /** The grant it makes for one call of {@code account}, dated by the provider's clock. */
    public TokenGrant grant(Clock clock, String account) {
        switch (fallbackGrant) {
            case password:
                return new PasswordGrant(passwordGrantValue, username, password);
            case jwt_bearer:
                return new JwtBearerGrant(jwtBearer, jwtBearer.subject() != null ? jwtBearer.subject() : account, clock);
            default:
                return new ClientCredentialsGrant();
        }
    }

    @Override
    public String toString() {
        return "FallbackGrant[" + fallbackGrant + ", grant_type=" + grantValue() + "]";
    }
}
