package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.RefreshLeaseBusyException;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking an account's refresh lease when another instance may hold it: while it does, look at the store for its
 * result and adopt that, or take the lease once it is free or expired (a dead holder's within the lease TTL); give
 * up, retriably, after the holder's whole work time; end at once when the application stops. A wait longer than
 * {@link #LOG_AFTER} is logged, once per holder's lease. A lease of this JVM only is never busy here (one refresh per
 * account at a time).
 */
final class LeaseWait {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseWait.class);

    /**
     * How often a waiting instance looks at the store (one indexed read each time): soon at first, then every 50 ms, so
     * a loser adopts the winner's token within about 50 ms of its save.
     */
    static final Duration FIRST_POLL = Duration.ofMillis(10);
    static final Duration MAX_POLL = Duration.ofMillis(50);

    /**
     * A wait this long is no ordinary contention (the holder's token call) any more: the holder is slow, stuck or
     * dead. Logged once per episode (per holder's lease), never silently longer.
     */
    static final Duration LOG_AFTER = Duration.ofSeconds(1);

    private LeaseWait() {
    }

    /** The one WARN of a wait episode: account, holder and since when, as the views show them; never a token. */
    private static void logOncePerEpisode(AccountEnvironment env, TokenPersistence persistence, String account) {
        LeaseActivity.Awaited awaited = persistence.activity().awaiting(account);
        if (awaited == null || !persistence.activity().newEpisode(account, awaited)) {
            return;
        }
        LOG.warn("tokenrefresh:{} account '{}': waiting since {} for the refresh lease that {} holds"
                                   + " since {} (store clock); no token call here meanwhile. A holder that stops"
                                   + " renewing loses it within {}", env.provider(), account, awaited.waitingSince(),
                                   awaited.holder() == null ? "another instance" : awaited.holder(),
                                   awaited.holderSince(), persistence.takeoverAfter());
    }

    /**
     * The lease, or null when another instance's fresh token was adopted meanwhile.
     *
     * @param adopt takes the state with that token (the refresh commits it, unless the account was invalidated since)
     */
    static RefreshLease leaseOrAdopted(AccountTokenCache cache, AccountState s, Consumer<AccountState> adopt) {
        AccountEnvironment env = cache.env();
        TokenPersistence persistence = env.persistence();
        // real time: this waits for another process, whatever clock the token state is judged by
        long started = System.nanoTime();
        long limit = persistence.hold().plusSeconds(10).toNanos();
        long poll = FIRST_POLL.toNanos();
        boolean logged = false;
        try {
            while (true) {
                RefreshLease lease = persistence.acquire(cache.account());
                if (lease != null) {
                    return lease;
                }
                if (poll == FIRST_POLL.toNanos()) {
                    cache.stats().leaseWaits++;
                    // whom we wait for, once per wait: the views show it
                    persistence.activity().waiting(cache.account(), persistence.holder(cache.account()),
                                                   env.clock().instant());
                } else if (!logged && System.nanoTime() - started >= LOG_AFTER.toNanos()) {
                    logged = true;
                    logOncePerEpisode(env, persistence, cache.account());
                }
                StoredToken stored = persistence.load(cache.account());
                if (stored != null && stored.version() > s.storedVersion()) {
                    AccountState next = s.withToken(AccountRefresh.usable(stored.token(), s), cache.policy())
                            .withStoredVersion(stored.version()).withDead(null, s.deadRefreshToken()).withUnsaved(null);
                    if (next.refreshAheadFrom() > env.clock().millis()) {
                        adopt.accept(next.withFailure(null));
                        cache.stats().adoptedRefreshes++;
                        LOG.debug("tokenrefresh:{} account '{}': adopted the token another instance "
                                                    + "refreshed", env.provider(), cache.account());
                        return null;
                    }
                }
                long waited = System.nanoTime() - started;
                if (waited > limit) {
                    RefreshLease holder = persistence.holder(cache.account());
                    throw new RefreshLeaseBusyException(env.provider(), cache.account(), Duration.ofNanos(waited),
                                                        holder == null ? "unknown" : holder.owner());
                }
                LockSupport.parkNanos(poll);
                poll = Math.min(poll * 2, MAX_POLL.toNanos());
                if (Thread.currentThread().isInterrupted() || persistence.stopping()) {
                    throw new TokenRefreshException(env.provider(), cache.account(), (persistence.stopping()
                            ? "stopping" : "interrupted") + " while another instance held the refresh lease", null);
                }
            }
        } finally {
            persistence.activity().doneWaiting(cache.account());
        }
    }
}
