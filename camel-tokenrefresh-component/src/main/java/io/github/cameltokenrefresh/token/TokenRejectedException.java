package io.github.cameltokenrefresh.token;

/**
 * The API refused a token that had just been refreshed (HTTP 401 after one refresh and one redelivery). Refreshing
 * again would not help: the token lacks a scope or permission, or the API call itself is wrong.
 */
public class TokenRejectedException extends TokenRefreshException {

    private final int statusCode;

    public TokenRejectedException(String provider, String account, int statusCode, Throwable cause) {
        super(provider, account, "the API answered HTTP " + statusCode + " to a freshly refreshed token, after one "
                                 + "refresh and one redelivery; check the token's scopes and the API call",
              cause);
        this.statusCode = statusCode;
    }

    public int getStatusCode() {
        return statusCode;
    }

    @Override
    public String getErrorType() {
        return "rejected_after_refresh";
    }
}
