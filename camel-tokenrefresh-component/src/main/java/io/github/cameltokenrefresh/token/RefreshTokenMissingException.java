package io.github.cameltokenrefresh.token;

/**
 * No refresh token is known for the account: neither stored nor configured. Supply one with the refreshToken
 * option, the CamelTokenRefreshRefreshToken header on a refresh operation, or the store.
 */
public class RefreshTokenMissingException extends TokenRefreshException {

    public RefreshTokenMissingException(String provider, String account) {
        super(provider, account, "no refresh token is stored or configured; set the refreshToken option, or send the "
                                 + "refresh operation with header CamelTokenRefreshRefreshToken", null);
    }

    @Override
    public String getErrorType() {
        return "no_refresh_token";
    }
}
