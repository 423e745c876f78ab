package io.github.cameltokenrefresh.token;

/**
 * A new account was named while the provider already keeps {@code maxAccounts} accounts in memory and none of them
 * could be evicted (each holds a token, is named by an endpoint, or is busy). Nothing failed at the token endpoint
 * and no account is created, so health and metrics do not count it. Raise {@code maxAccounts}, or stop naming
 * accounts that do not exist (an account header taken from an inbound request).
 */
public class TooManyAccountsException extends TokenRefreshException {

    private final int maxAccounts;

    public TooManyAccountsException(String provider, String account, int maxAccounts) {
        super(provider, account, "not created: the provider keeps at most maxAccounts=" + maxAccounts
                                 + " accounts in memory and none of them can be evicted now (each holds a token, is"
                                 + " named by an endpoint or is refreshing); raise maxAccounts", null);
        this.maxAccounts = maxAccounts;
    }

    /** The provider's {@code maxAccounts}. */
    public int getMaxAccounts() {
        return maxAccounts;
    }

    @Override
    public String getErrorType() {
        return "too_many_accounts";
    }
}
