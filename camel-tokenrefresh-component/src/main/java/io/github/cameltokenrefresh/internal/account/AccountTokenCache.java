package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.account.AccountState.Step;
import io.github.cameltokenrefresh.internal.account.SingleFlight.Flight;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.RuntimeCamelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token of one provider and account: one {@link AccountState} behind one volatile reference, and one refresh at a
 * time for every caller ({@link SingleFlight}). A fresh token costs one volatile read and one compare. What a caller
 * does otherwise is {@link AccountState#next}; the refresh itself is {@link AccountRefresh}.
 * <p>
 * The lock guards only the commits of the state: it is never held during a token call, a lease wait or a store
 * access, so {@link #invalidate} and {@link #status} never wait for a slow token endpoint or store.
 */
public final class AccountTokenCache implements AccountTokens {

    /** The category the docs and operators' log configurations name for the token lifecycle. */
    static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.source.TokenSource");

    private final String account;
    private final AccountEnvironment env;
    private final AccountStats stats = new AccountStats();
    /** The provider's policy with this account's own refresh-ahead jitter. */
    private final RefreshPolicy policy;
    private final SingleFlight flights = new SingleFlight();
    /** Held while the state changes (briefly, no I/O), so changes are serial and observers hear them in order. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Held while the store is read for the account's first use, so concurrent first callers read it once. */
    private final ReentrantLock loading = new ReentrantLock();
    private volatile AccountState state = AccountState.EMPTY;
    /** The refresh token configured for the account (endpoint or provider option), used while the store holds none. */
    private volatile String bootstrapRefreshToken;

    public AccountTokenCache(String account, AccountEnvironment env) {
        this.account = account;
        this.env = env;
        this.policy = env.policy().forAccount(env.provider(), account);
    }

    @Override
    public String provider() {
        return env.provider();
    }

    @Override
    public String account() {
        return account;
    }

    /** Gives the account its configured refresh token; an endpoint may name it after the account was first used. */
    public void offerBootstrapRefreshToken(String refreshToken) {
        bootstrapRefreshToken = refreshToken;
    }

    String bootstrapRefreshToken() {
        return bootstrapRefreshToken;
    }

    @Override
    public Token token() {
        AccountState s = state;
        long now = env.clock().millis();
        if (now < s.refreshAheadFrom()) {
            return s.token();
        }
        return tokenSlow(now, false);
    }

    @Override
    public Token refreshIfExpiring() {
        AccountState s = state;
        long now = env.clock().millis();
        if (now < s.refreshAheadFrom()) {
            return s.token();
        }
        return tokenSlow(now, true);
    }

    private Token tokenSlow(long now, boolean waitInsideWindow) {
        AccountState s = loaded();
        EndpointBackoff.Pause pause = env.endpointBackoff().pausedAt(now);
        Step step = s.next(now, waitInsideWindow, pause != null);
        switch (step) {
            case SERVE:
                return s.token();
            case SERVE_AND_RENEW:
                // with no rate-limit permit free, the refresh is left to a later caller in the window
                if (env.acquisition().rateLimit().freeNow()) {
                    startRefresh(s.epoch(), true, false);
                }
                return s.token();
            case REFUSE:
                throw s.blockedAt(now) ? s.refusal(env.provider(), account)
                        : EndpointBackoff.refusal(env.provider(), account, pause);
            default:
                try {
                    return startRefresh(s.epoch(), false, true);
                } catch (TokenRefreshException e) {
                    // the refresh failed, but the token has not truly expired: it still works, so the caller gets it,
                    // exactly as callers arriving after the failure do
                    if (s.validAt(env.clock().millis())) {
                        return s.token();
                    }
                    throw e;
                }
        }
    }

    /**
     * Refreshes (waiting) when the token is missing or expires within {@code window}; leaves it alone otherwise. For
     * scheduled and start-up refreshes, which must touch only the accounts that are due.
     *
     * @return true when a refresh ran
     */
    public boolean refreshIfExpiresWithin(Duration window) {
        return refreshIfDue(window, Duration.ZERO);
    }

    /**
     * As {@link #refreshIfExpiresWithin}, and also when the token was issued (last refreshed) more than
     * {@code keepAliveAge} ago (zero: never): keeps alive a refresh token the provider would revoke when idle.
     *
     * @return true when a refresh ran
     */
    public boolean refreshIfDue(Duration window, Duration keepAliveAge) {
        AccountState s = loaded();
        long now = env.clock().millis();
        if (s.freshUntil(now + window.toMillis(), now) && !idleLongerThan(s.token(), keepAliveAge, now)) {
            return false;
        }
        // a pass's refresh: on a pool thread, which never waits for a rate-limit permit (the pass took one for it)
        refreshUnlessBlocked(s, now, false);
        return true;
    }

    /**
     * Whether {@link #refreshIfDue} would make a token call now: due, and neither dead nor backing off nor paused with
     * the token endpoint. A rate-limited pass takes a permit only for such an account.
     */
    public boolean wouldCallIfDue(Duration window, Duration keepAliveAge) {
        AccountState s = loaded();
        long now = env.clock().millis();
        boolean due = !s.freshUntil(now + window.toMillis(), now) || idleLongerThan(s.token(), keepAliveAge, now);
        return due && !s.blockedAt(now) && env.endpointBackoff().pausedAt(now) == null;
    }

    /** Whether the token was issued before {@code now - age}; the issue time is its last refresh. */
    static boolean idleLongerThan(Token token, Duration age, long now) {
        if (age.isZero() || token == null) {
            return false;
        }
        Instant issued = token.getIssuedAt() != null ? token.getIssuedAt() : token.getRefreshTokenIssuedAt();
        return issued != null && issued.toEpochMilli() < now - age.toMillis();
    }

    @Override
    public Token refresh() {
        return refreshUnlessBlocked(loaded(), env.clock().millis(), true);
    }

    @Override
    public Token refreshIfCurrent(String rejectedAccessToken) {
        AccountState s = loaded();
        Token current = s.token();
        if (current != null && current.hasAccessToken() && !current.getAccessToken().equals(rejectedAccessToken)) {
            return current;
        }
        Flight running = flights.joinable(s.epoch());
        if (running != null) {
            return await(running);
        }
        return refreshUnlessBlocked(s, env.clock().millis(), true);
    }

    private Token refreshUnlessBlocked(AccountState s, long now, boolean callerWaits) {
        if (s.blockedAt(now)) {
            throw s.refusal(env.provider(), account);
        }
        EndpointBackoff.Pause pause = env.endpointBackoff().pausedAt(now);
        if (pause != null) {
            throw EndpointBackoff.refusal(env.provider(), account, pause);
        }
        return startRefresh(s.epoch(), false, callerWaits);
    }

    /**
     * Forgets the access token, ends a backoff or dead state and makes the next use read the store again. It wins over
     * a refresh under way: that refresh still saves what it obtains (a rotated refresh token is never lost) and hands
     * its token to the callers that were already waiting for it, but the account keeps only its refresh token, so no
     * caller arriving after this returns gets an access token obtained before; the next one refreshes.
     */
    @Override
    public void invalidate() {
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
                    // an issued token not saved yet is saved by the next refresh, but no longer handed out
                    Token pending = s.unsaved() == null ? null : AccountRefresh.withoutAccessToken(s.unsaved());
                    update(s.withToken(kept, policy).withUnsaved(pending).withLoaded(false).healthy().nextEpoch());
                    break;
                }
            } finally {
                lock.unlock();
            }
            // another invalidate came between the read and the lock: read again
        }
        LOG.info("tokenrefresh:{} account '{}': access token invalidated", env.provider(), account);
    }

    @Override
    public void supplyRefreshToken(String refreshToken) {
        startOver(Token.ofRefreshToken(refreshToken, env.clock().instant()), "new refresh token supplied and saved");
    }

    /** Starts over from the token pair of an authorization (the code flow's callback): saved before it is used. */
    public void supplyAuthorizedToken(Token token) {
        startOver(token, "authorized; new token pair saved, expires at " + token.getExpiresAt());
    }

    /**
     * Saves a token a person brought (under the refresh lease), and clears failure and dead states. Runs in the single
     * flight's slot, exclusively: a refresh under way ends first, and none begins before this token is saved.
     */
    private void startOver(Token token, String what) {
        Flight mine = flights.exclusive();
        try {
            loaded();
            long version = env.persistence().save(account, token);
            commit(s -> s.withToken(token, policy).withStoredVersion(version).withUnsaved(null).healthy());
        } finally {
            flights.end(mine, null, null);
        }
        LOG.info("tokenrefresh:{} account '{}': {}", env.provider(), account, what);
    }

    @Override
    public AccountStatus status() {
        AccountState s = state;
        Instant now = env.clock().instant();
        long millis = now.toEpochMilli();
        Token token = s.token();
        boolean timed = s.hasAccessToken() && token.getExpiresAt() != null;
        return new AccountStatus(env.provider(), account, s.phase(millis), now, token == null ? null : token.getExpiresAt(),
                                 timed ? Instant.ofEpochMilli(s.refreshAheadFrom()) : null,
                                 timed ? Instant.ofEpochMilli(s.usableUntil()) : null, s.validAt(millis), stats.lastRefreshAt, stats.lastFailureAt, stats.lastErrorType,
                                 s.failure() == null ? null : s.failure().nextAttempt(), stats.tokenCalls,
                                 stats.refreshes, stats.failures, env.policy().refreshTokenExpiresAt(token),
                                 env.policy().isRefreshTokenExpiring(token, now), stats.adoptedRefreshes,
                                 stats.leaseWaits, stats.interruptedLeases);
    }

    AccountState state() {
        return state;
    }

    RefreshPolicy policy() {
        return policy;
    }

    AccountEnvironment env() {
        return env;
    }

    AccountStats stats() {
        return stats;
    }

    /** Whether nothing runs in the account's single flight now. */
    boolean idle() {
        return flights.idle();
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

    /** Every change of the state goes through here, under the lock: one place that tells the provider. */
    private void update(AccountState next) {
        AccountState previous = state;
        state = next;
        if (previous.token() != next.token()) {
            env.observer().onTokenChanged(this, previous.token(), next.token());
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
                StoredToken stored = env.persistence().load(account);
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
            return s.withToken(AccountRefresh.usable(stored.token(), s), policy).withStoredVersion(stored.version());
        }
        if (s.token() == null && bootstrapRefreshToken != null) {
            return s.withToken(Token.ofRefreshToken(bootstrapRefreshToken, env.clock().instant()), policy)
                    .withBootstrapTried(true);
        }
        return s;
    }

    /**
     * Runs or joins the refresh for a caller that saw {@code epoch}, and (unless in the background) waits for it. A
     * refresh joined before it began that turns out to have begun before an invalidate this caller saw is not taken:
     * the caller refreshes again.
     */
    private Token startRefresh(int epoch, boolean background, boolean callerWaits) {
        while (true) {
            Flight mine = SingleFlight.newRefresh();
            Flight flight = flights.enter(mine, epoch, !background);
            if (flight == mine) {
                run(mine, background, callerWaits);
            }
            if (background) {
                return null;
            }
            try {
                Token token = await(flight);
                if (flight.epoch() >= epoch) {
                    return token;
                }
            } catch (RuntimeException | Error e) {
                // not done: interrupted while waiting
                if (flight.epoch() >= epoch || !flight.isDone()) {
                    throw e;
                }
            }
        }
    }

    private void run(Flight mine, boolean background, boolean callerWaits) {
        Runnable task = () -> {
            try {
                flights.end(mine, new AccountRefresh(this, mine, callerWaits).run(), null);
            } catch (Throwable e) {
                flights.end(mine, null, e);
            }
        };
        if (!background) {
            task.run();
            return;
        }
        try {
            env.executor().execute(task);
        } catch (RuntimeException rejected) {
            // the pool is stopping (its queue has no bound): the caller, served the still-valid token, never runs
            // someone else's refresh; the next caller in the window starts one again
            flights.end(mine, null, rejected);
        }
    }

    private static Token await(Flight future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeCamelException("interrupted while waiting for a token refresh", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new RuntimeCamelException(cause);
        }
    }

    @Override
    public String toString() {
        return "AccountTokens[provider=" + env.provider() + ", account=" + account + ", state="
               + state.phase(env.clock().millis()) + "]";
    }
}
