package io.github.cameltokenrefresh.internal.account;

import io.github.cameltokenrefresh.store.StaleTokenVersionException;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenStoreException;

/**
 * How a provider's tokens reach its store and come back: reads, and compare-and-set saves. Store failures become
 * {@link TokenStoreException}s that name the provider, account and store, never a token.
 */
public final class TokenPersistence {

    private final String provider;
    private final TokenStore store;

    public TokenPersistence(String provider, TokenStore store) {
        this.provider = provider;
        this.store = store;
    }

    public TokenStore store() {
        return store;
    }

    /** The stored record, or null. */
    StoredToken load(String account) {
        try {
            return store.load(provider, account);
        } catch (RuntimeException e) {
            throw new TokenStoreException(provider, account,
                    "cannot read the token from " + store + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves a token the provider just issued, expecting the record at {@code expectedVersion}.
     *
     * @return the version it was saved as
     */
    long save(String account, Token token, long expectedVersion) {
        try {
            try {
                return store.save(provider, account, token, expectedVersion).version();
            } catch (StaleTokenVersionException e) {
                // someone saved meanwhile; the token endpoint just accepted our refresh token, so ours is the newest
                return store.save(provider, account, token, e.getActualVersion()).version();
            }
        } catch (RuntimeException e) {
            throw new TokenStoreException(provider, account,
                    "cannot save the token to " + store + " (" + e.getMessage()
                                                      + "); it is kept in memory and saving is retried",
                    e);
        }
    }
}
