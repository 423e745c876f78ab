package io.github.cameltokenrefresh.internal;

import io.github.cameltokenrefresh.internal.account.AccountTokenCache;

/**
 * Hears every change of an account's access token: how the 401 handling finds the account a token came from. A
 * {@link Provider}'s are told by its {@link ProviderEvents}.
 */
public interface AccessTokenListener {

    /**
     * @param previous the access token handed out before, or null
     * @param current  the access token handed out now, or null
     */
    void onAccessTokenChanged(AccountTokenCache account, String previous, String current);
}
