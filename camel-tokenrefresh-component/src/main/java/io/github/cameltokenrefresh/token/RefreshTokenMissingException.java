package io.github.cameltokenrefresh.token;

/**
 * No refresh token is known for the account: neither stored nor configured. Supply one with the refreshToken
 * option, the CamelTokenRefreshRefreshToken header on a refresh operation, or the store.
 */
public class RefreshTokenMissingException extends TokenRefreshException {

    public RefreshTokenMissingException(String provider, String account) {
        this(provider, account, false);
    }

    /**
     * @param awaitingAuthorization the provider runs the authorization-code flow: the account is most likely waiting
     *                              for its owner to complete an authorization link, and the message says so
     */
    public RefreshTokenMissingException(String provider, String account, boolean awaitingAuthorization) {
        super(provider, account, awaitingAuthorization
                ? "not connected yet: no refresh token is stored or configured, so the account waits for its owner to"
                  + " complete an authorization link (make one with operation=authorizationUrl or the JMX operation"
                  + " authorizationUrl; docs/onboarding.md)"
                : "no refresh token is stored or configured; set the refreshToken option, or send the refresh"
                  + " operation with header CamelTokenRefreshRefreshToken", null);
    }

    @Override
    public String getErrorType() {
        return "no_refresh_token";
    }
}
