package io.github.cameltokenrefresh.internal.wire;

import io.github.cameltokenrefresh.dialect.FallbackGrantType;

/**
 * An initial grant the component may run unattended when the refresh token is dead or missing: the resource owner
 * password grant (Newsletter2Go's documented authentication, RFC 6749 §4.3) or client credentials (§4.4). It gets a
 * new token pair without a person, so no re-authorization is needed.
 */
public record FallbackGrant(FallbackGrantType fallbackGrant, String passwordGrantValue, String username,
                            String password) {

    /** The grant_type value sent. */
    public String grantValue() {
        return fallbackGrant == FallbackGrantType.password ? passwordGrantValue : "client_credentials";
    }

    /** The grant it makes. */
    public TokenGrant grant() {
        return fallbackGrant == FallbackGrantType.password ? new PasswordGrant(passwordGrantValue, username, password)
                : new ClientCredentialsGrant();
    }

    @Override
    public String toString() {
        return "FallbackGrant[" + fallbackGrant + ", grant_type=" + grantValue()
               + "]";
    }
}
