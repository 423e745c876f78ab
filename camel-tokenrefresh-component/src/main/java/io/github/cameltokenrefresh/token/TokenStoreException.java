package io.github.cameltokenrefresh.token;

/**
 * Reading or writing the token store failed. When a rotated refresh token could not be saved, it is kept in memory
 * and saving is retried before any further token call, so it is not lost.
 */
public class TokenStoreException extends TokenRefreshException {

    public TokenStoreException(String provider, String account, String message, Throwable cause) {
        super(provider, account, message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    @Override
    public String getErrorType() {
        return "store";
    }
}
