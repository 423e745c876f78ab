package io.github.cameltokenrefresh.store;

import java.time.Instant;
import java.util.List;

import io.github.cameltokenrefresh.token.Token;

/**
 * Where tokens live between refreshes and restarts, one record per provider and account. Each record has a version so
 * that a store shared by several instances can compare-and-set: the instance that refreshed wins, the others read its
 * result.
 * <p>
 * Implementations must be thread-safe, and {@link #save} must be durable when it returns: a rotated refresh token is
 * saved before its access token is handed to anyone.
 */
public interface TokenStore {

    /** The stored record, or null when the account has none. */
    StoredToken load(String provider, String account);

    /**
     * Saves the token if the stored version still equals {@code expectedVersion} (0 when nothing is stored).
     *
     * @return the record as stored, with its new version
     * @throws StaleTokenVersionException when another writer saved first
     */
    StoredToken save(String provider, String account, Token token, long expectedVersion);

    /** Removes the account's record; nothing happens when there is none. */
    void delete(String provider, String account);

    /** The accounts that have a record for the provider. */
    List<String> accounts(String provider);

    /**
     * The accounts whose access token is missing or expires before {@code limit}, soonest first, when the store can
     * answer that itself (a database, from an index); null (the default) when it cannot: the component then keeps an
     * expiry index of its own, built by reading every record once.
     */
    default List<String> accountsExpiringBefore(String provider, Instant limit) {
        return null;
    }

    /**
     * The accounts due for a pass: those {@link #accountsExpiringBefore} names, and with {@code issuedBefore} also
     * those whose token was issued (last refreshed) before it, whatever their expiry (keep-alive, for providers that
     * revoke idle refresh tokens); soonest expiry first. Null when the store cannot answer: the default answers
     * without {@code issuedBefore} as {@link #accountsExpiringBefore} does, and with it null, so a store written
     * before keep-alive existed still works: the component then uses an index of its own.
     *
     * @param issuedBefore null when keep-alive is off
     */
    default List<String> accountsDueBefore(String provider, Instant expiringBefore, Instant issuedBefore) {
        return issuedBefore == null ? accountsExpiringBefore(provider, expiringBefore) : null;
    }

    /**
     * The refresh lease this store offers to every process sharing it, or null (the default) when only one process
     * uses the store: the component then keeps leases in its own JVM.
     */
    default RefreshLeases leases() {
        return null;
    }
}
