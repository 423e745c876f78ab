package io.github.cameltokenrefresh.token;

/**
 * The refresh token was refused as expired, revoked or already used ({@code invalid_grant}). This is terminal:
 * no further token calls are made with that refresh token until a new one is supplied (re-authorization).
 */
public class InvalidGrantException extends TokenErrorResponseException {

    public InvalidGrantException(String provider, String account, int statusCode, String errorDescription) {
        super(provider, account, statusCode, "invalid_grant", errorDescription,
              "the refresh token is dead; re-authorize this account and supply the new refresh token "
                                                                                + "(refresh operation with header "
                                                                                + "CamelTokenRefreshRefreshToken, or the store)");
    }
}
