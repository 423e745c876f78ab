package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.account.AccountState.Step;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.RuntimeCamelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token of one provider and account: one {@link AccountState} behind one volatile reference, and one refresh at a
 * time for every caller (single flight). A fresh token costs one volatile read and one compare. What a caller does
 * otherwise is {@link AccountState#next}; the refresh itself is {@link AccountRefresh}.
 */
public final class AccountTokenCache implements AccountTokens {

    /** The category the docs and operators' log configurations name for the token lifecycle. */
    static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.source.TokenSource");

    private final String account;
    private final AccountEnvironment env;
    private final AccountStats stats = new AccountStats();
    /** The provider's policy with this account's own refresh-ahead jitter. */
    private final RefreshPolicy policy;
    private final AtomicReference<CompletableFuture<Token>> inFlight = new AtomicReference<>();
    /** Held while the state changes, so changes are serial and observers hear them in order. */
    final Object lock = new Object();
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
                    startRefresh(true, false);
                }
                return s.token();
            case REFUSE:
                throw s.blockedAt(now) ? s.refusal(env.provider(), account)
                        : EndpointBackoff.refusal(env.provider(), account, pause);
            default:
                try {
                    return await(startRefresh(false, true));
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
        CompletableFuture<Token> running = inFlight.get();
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
        return await(startRefresh(false, callerWaits));
    }

    @Override
    public void invalidate() {
        synchronized (lock) {
            // read the store first: the access token to forget may be only there (the account was not used yet)
            AccountState s = loadedLocked();
            Token current = s.token();
            if (s.hasAccessToken()) {
                s = s.withInvalidatedAccessToken(current.getAccessToken());
            }
            Token kept = current == null ? null : AccountRefresh.withoutAccessToken(current);
            update(s.withToken(kept, policy).withLoaded(false).healthy());
            LOG.info("tokenrefresh:{} account '{}': access token invalidated", env.provider(), account);
        }
    }

    @Override
    public void supplyRefreshToken(String refreshToken) {
        startOver(Token.ofRefreshToken(refreshToken, env.clock().instant()), "new refresh token supplied and saved");
    }

    /** Starts over from the token pair of an authorization (the code flow's callback): saved before it is used. */
    public void supplyAuthorizedToken(Token token) {
        startOver(token, "authorized; new token pair saved, expires at " + token.getExpiresAt());
    }

    /** Saves a token a person brought (under the refresh lease), and clears failure and dead states. */
    private void startOver(Token token, String what) {
        CompletableFuture<Token> running = inFlight.get();
        if (running != null) {
            running.handle((t, e) -> null).join();
        }
        synchronized (lock) {
            AccountState s = loadedLocked();
            long version = env.persistence().save(account, token);
            update(s.withToken(token, policy).withStoredVersion(version).withUnsaved(null).healthy());
            LOG.info("tokenrefresh:{} account '{}': {}", env.provider(), account, what);
        }
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

    /** Every change of the state goes through here: one place that tells the provider the token changed. */
    void update(AccountState next) {
        AccountState previous = state;
        state = next;
        if (previous.token() != next.token()) {
            env.observer().onTokenChanged(this, previous.token(), next.token());
        }
    }

    private AccountState loaded() {
        AccountState s = state;
        if (s.loaded()) {
            return s;
        }
        synchronized (lock) {
            return loadedLocked();
        }
    }

    /** The state once the store was read: a stored refresh token always wins over the configured one. */
    AccountState loadedLocked() {
        AccountState s = state;
        if (s.loaded()) {
            return s;
        }
        var stored = env.persistence().load(account);
        if (stored != null) {
            s = s.withToken(AccountRefresh.usable(stored.token(), s), policy).withStoredVersion(stored.version());
        } else if (s.token() == null && bootstrapRefreshToken != null) {
            s = s.withToken(Token.ofRefreshToken(bootstrapRefreshToken, env.clock().instant()), policy)
                    .withBootstrapTried(true);
        }
        update(s.withLoaded(true));
        return state;
    }

    private CompletableFuture<Token> startRefresh(boolean background, boolean callerWaits) {
        CompletableFuture<Token> mine = new CompletableFuture<>();
        while (true) {
            CompletableFuture<Token> running = inFlight.get();
            if (running != null) {
                return running;
            }
            if (inFlight.compareAndSet(null, mine)) {
                break;
            }
        }
        Runnable task = () -> {
            try {
                Token token = new AccountRefresh(this, callerWaits).run();
                inFlight.compareAndSet(mine, null);
                mine.complete(token);
            } catch (Throwable e) {
                inFlight.compareAndSet(mine, null);
                mine.completeExceptionally(e);
            }
        };
        if (background) {
            try {
                env.executor().execute(task);
            } catch (RuntimeException rejected) {
                // the pool is stopping (its queue has no bound): the caller, served the still-valid token, never runs
                // someone else's refresh; the next caller in the window starts one again
                inFlight.compareAndSet(mine, null);
                mine.completeExceptionally(rejected);
            }
        } else {
            task.run();
        }
        return mine;
    }

    private static Token await(CompletableFuture<Token> future) {
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
