package io.github.cameltokenrefresh.route;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.internal.AccessTokenListener;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;

/**
 * Which account handed out an access token. Lets a 401 find the provider and account from the header the API
 * rejected, so decorating an exchange keeps no state on it. Each account is indexed under its current access token
 * and the one before it: an exchange still in flight when the token rotated may come back with the previous one.
 * Fed by the providers' access token changes; the token state itself knows nothing of it.
 */
final class AccessTokenIndex implements AccessTokenListener {

    private final Map<String, AccountTokenCache> byToken = new ConcurrentHashMap<>();
    private final Map<AccountTokenCache, String> previousOf = new ConcurrentHashMap<>();

    /** The account whose current or previous access token this is, or null. */
    AccountTokenCache find(String accessToken) {
        return accessToken == null ? null : byToken.get(accessToken);
    }

    @Override
    public void onAccessTokenChanged(AccountTokenCache account, String previous, String current) {
        // calls for one account arrive in order (under its lock): the token before the previous one goes
        if (previous != null) {
            String older = previousOf.put(account, previous);
            if (older != null && !older.equals(current)) {
                byToken.remove(older, account);
            }
        }
        if (current != null) {
            byToken.put(current, account);
        }
    }

    /** Forgets the tokens of a provider that stopped. */
    void forget(Provider provider) {
        byToken.values().removeIf(a -> provider.holds(a));
        previousOf.keySet().removeIf(a -> provider.holds(a));
    }

    /** Never the tokens themselves. */
    @Override
    public String toString() {
        return "AccessTokenIndex[" + byToken.size() + " tokens]";
    }
}
