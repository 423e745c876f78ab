package io.github.cameltokenrefresh.token;

/**
 * The provider is stopping (its route or the Camel context stops): no new token call starts. A refresh whose token
 * call was already under way finishes and saves its answer; this one made no call, so the refresh token is unspent.
 * Retriable: the next start refreshes again. Not about the token endpoint, so it does not pause it.
 */
public class ProviderStoppedException extends TokenRefreshException {

    public ProviderStoppedException(String provider, String account, Throwable cause) {
        super(provider, account, "the provider is stopping: no new token call starts", cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    @Override
    public String getErrorType() {
        return "stopped";
    }
}
