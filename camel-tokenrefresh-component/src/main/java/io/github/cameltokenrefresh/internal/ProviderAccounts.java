package io.github.cameltokenrefresh.internal;

import java.util.Collection;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.token.TooManyAccountsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts a provider keeps in memory: at most {@code maxAccounts}. An account header may come from an inbound
 * request, so names nobody onboarded must not pile up. When a new account would exceed the limit, the oldest accounts
 * that hold nothing (no token, no record, no configured refresh token, not named by an endpoint) and are idle (no
 * refresh under way, not backing off after a token call) are forgotten; their next use reads the store again, so
 * nothing a store holds is lost. When none can be forgotten, the new account is refused with
 * {@link TooManyAccountsException}.
 */
final class ProviderAccounts {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderAccounts.class);

    /** How many candidates one new account looks at, at most, for one to evict: bounded work a name. */
    static final int LOOKS_PER_NEW_ACCOUNT = 32;

    private final String provider;
    private final int maxAccounts;
    private final Function<String, AccountTokenCache> factory;
    private final Map<String, AccountTokenCache> byName = new ConcurrentHashMap<>();
    /** Accounts kept plus accounts being created: never above maxAccounts. */
    private final AtomicInteger reserved = new AtomicInteger();
    /** Accounts that may be evicted one day, oldest first; those that came to hold something leave on the next look. */
    private final Queue<AccountTokenCache> candidates = new ConcurrentLinkedQueue<>();
    /** Accounts endpoints name (their producers keep them): never evicted. */
    private final Set<String> pinned = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean warned = new AtomicBoolean();

    ProviderAccounts(String provider, int maxAccounts, Function<String, AccountTokenCache> factory) {
        this.provider = provider;
        this.maxAccounts = maxAccounts;
        this.factory = factory;
    }

    /** The account, created on first use. */
    AccountTokenCache account(String name) {
        AccountTokenCache cache = byName.get(name);
        return cache != null ? cache : create(name);
    }

    /** The account when it is kept, else null; never creates one. */
    AccountTokenCache get(String name) {
        return byName.get(name);
    }

    /** Keeps the account however idle it gets: an endpoint names it. */
    void pin(String name) {
        pinned.add(name);
    }

    Collection<AccountTokenCache> all() {
        return byName.values();
    }

    Set<String> names() {
        return byName.keySet();
    }

    int size() {
        return byName.size();
    }

    private AccountTokenCache create(String name) {
        reserve(name);
        AccountTokenCache[] created = new AccountTokenCache[1];
        AccountTokenCache cache = byName.computeIfAbsent(name, n -> created[0] = factory.apply(n));
        if (created[0] == null) {
            reserved.decrementAndGet(); // another caller created it meanwhile
        } else {
            candidates.add(cache);
        }
        return cache;
    }

    private void reserve(String name) {
        while (true) {
            int kept = reserved.get();
            if (kept < maxAccounts) {
                if (reserved.compareAndSet(kept, kept + 1)) {
                    return;
                }
            } else if (!evictOne()) {
                if (warned.compareAndSet(false, true)) {
                    LOG.warn("tokenrefresh:{}: {} accounts kept (maxAccounts) and none can be evicted: new accounts are"
                             + " refused with TooManyAccountsException", provider, maxAccounts);
                }
                throw new TooManyAccountsException(provider, name, maxAccounts);
            }
        }
    }

    /** Forgets the oldest account that holds nothing and is idle; false when none of the next few is. */
    private boolean evictOne() {
        for (int looked = 0; looked < LOOKS_PER_NEW_ACCOUNT; looked++) {
            AccountTokenCache cache = candidates.poll();
            if (cache == null) {
                return false;
            }
            String name = cache.account();
            if (byName.get(name) != cache || pinned.contains(name) || cache.holdsSomething()) {
                continue; // never a candidate again: gone already, named by an endpoint, or holding a token
            }
            if (cache.busy()) {
                candidates.add(cache);
            } else if (byName.remove(name, cache)) {
                // a caller that already had it finishes on it as usual: it holds nothing, and what it may obtain goes
                // to the store, where the account's next use finds it
                reserved.decrementAndGet();
                return true;
            }
        }
        return false;
    }
}
