package io.github.cameltokenrefresh.token;

import java.time.Duration;

/**
 * Another instance sharing the store held the account's refresh lease for longer than this one waited for its
 * result. No token call was made. Retriable: the component backs off and looks again; the other instance's token, once
 * saved, is adopted without a token call.
 */
public class RefreshLeaseBusyException extends TokenRefreshException {

    public RefreshLeaseBusyException(String provider, String account, Duration waited, String holder) {
        super(provider, account, "another instance (" + holder + ") holds the refresh lease of this account; waited "
                                 + waited.toMillis() + " ms for its result",
              null);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    @Override
    public String getErrorType() {
        return "lease_busy";
    }
}
