package io.github.cameltokenrefresh.internal.account;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.Token;

/**
 * The one state of an account and every change of it: read through one volatile reference, changed only under a short
 * lock that is never held during a token call, a lease wait or a store access (a {@code ReentrantLock}: a virtual
 * thread waiting for it is not pinned). Tells the provider of each change of the token, in order.
 */
final class AccountStateCell {

    private final AccountTokenCache owner;
    /** Held while the state changes (briefly, no I/O), so changes are serial and observers hear them in order. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Held while the store is read for the account's first use, so concurrent first callers read it once. */
    private final ReentrantLock loading = new ReentrantLock();
    volatile AccountState state = AccountState.EMPTY;

    AccountStateCell(AccountTokenCache owner) {
        this.owner = owner;
    }

    /**
     * Applies {@code change} to the current state, unless the account was invalidated since {@code epoch} (a refresh
     * that began before must not make its access token the account's).
     *
     * @return the state committed, or null when the epoch is over and nothing changed
     */
    AccountState commit(int epoch, UnaryOperator<AccountState> change) {
        lock.lock();
        try {
            if (state.epoch() != epoch) {
                return null;
            }
            update(change.apply(state));
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Applies {@code change} to the current state whatever happened: for what must never be lost. */
    AccountState commit(UnaryOperator<AccountState> change) {
        lock.lock();
        try {
            update(change.apply(state));
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets the access token (never taken back from the store), ends a backoff or dead state, makes the next use read
     * the store again, and begins a new epoch. An issued token not saved yet keeps only its refresh token.
     */
    void invalidate() {
        while (true) {
            // read the store first (outside the lock): the access token to forget may be only there (not used yet)
            loaded();
            lock.lock();
            try {
                AccountState s = state;
                if (s.loaded()) {
                    Token current = s.token();
                    if (s.hasAccessToken()) {
                        s = s.withInvalidatedAccessToken(current.getAccessToken());
                    }
                    Token kept = current == null ? null : AccountRefresh.withoutAccessToken(current);
                    Token pending = s.unsaved() == null ? null : AccountRefresh.withoutAccessToken(s.unsaved());
                    update(s.withToken(kept, owner.policy()).withUnsaved(pending).withLoaded(false).healthy()
                            .nextEpoch());
                    return;
                }
            } finally {
                lock.unlock();
            }
            // another invalidate came between the read and the lock: read again
        }
    }

    /** Every change of the state goes through here, under the lock: one place that tells the provider. */
    private void update(AccountState next) {
        AccountState previous = state;
        state = next;
        if (previous.token() != next.token()) {
            owner.env().observer().onTokenChanged(owner, previous.token(), next.token());
        }
    }

    /**
     * The state once the store was read: a stored refresh token always wins over the configured one. The read happens
     * outside the lock; what was read is committed only if nothing changed meanwhile.
     */
    AccountState loaded() {
        AccountState s = state;
        if (s.loaded()) {
            return s;
        }
        loading.lock();
        try {
            while (true) {
                s = state;
                if (s.loaded()) {
                    return s;
                }
                StoredToken stored = owner.env().persistence().load(owner.account());
                lock.lock();
                try {
                    if (state == s) {
                        update(fromStore(s, stored).withLoaded(true));
                        return state;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            loading.unlock();
        }
    }

    private AccountState fromStore(AccountState s, StoredToken stored) {
        if (stored != null) {
            return s.withToken(AccountRefresh.usable(stored.token(), s), owner.policy())
                    .withStoredVersion(stored.version());
        }
        String configured = owner.bootstrapRefreshToken();
        if (s.token() == null && configured != null) {
            return s.withToken(Token.ofRefreshToken(configured, owner.env().clock().instant()), owner.policy())
                    .withBootstrapTried(true);
        }
        return s;
    }
}
