package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.account.AccountState.Step;
import io.github.cameltokenrefresh.internal.account.SingleFlight.Flight;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.internal.call.TokenRevocation;
import io.github.cameltokenrefresh.token.AccountDisconnectedException;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token of one provider and account: one {@link AccountState} behind one volatile reference, and one refresh at a
 * time for every caller ({@link SingleFlight}). A fresh token costs one volatile read and one compare. What a caller
 * does otherwise is {@link AccountState#next}; the refresh itself is {@link AccountRefresh}.
 * <p>
 * The state and its changes are an {@link AccountStateCell}, whose lock is never held during a token call, a lease
 * wait or a store access: {@link #invalidate} and {@link #status} never wait for a slow token endpoint or store.
 */
public final class AccountTokenCache implements AccountTokens {

    private static final Logger LOG = LoggerFactory.getLogger(AccountTokenCache.class);

    private final String account;
    private final AccountEnvironment env;
    private final AccountStats stats = new AccountStats();
    /** The provider's policy with this account's own refresh-ahead jitter. */
    private final RefreshPolicy policy;
    private final SingleFlight flights = new SingleFlight();
    private final AccountStateCell cell = new AccountStateCell(this);
    /** What reaches the account from outside a refresh (a person's tokens, attributes, a disconnect). */
    private final AccountSupply supply = new AccountSupply(this, flights);
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
        AccountState s = cell.state;
        long now = env.clock().millis();
        if (now < s.refreshAheadFrom()) {
            return s.token();
        }
        return tokenSlow(now, false);
    }

    @Override
    public Token refreshIfExpiring() {
        AccountState s = cell.state;
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
                if (s.isDisconnected() && AccountDisconnect.reconnected(this)) {
                    return tokenSlow(env.clock().millis(), waitInsideWindow);
                }
                throw s.blockedAt(now) ? s.refusal(env.provider(), account)
                        : EndpointBackoff.refusal(env.provider(), account, pause);
            default:
                try {
                    Token token = startRefresh(s.epoch(), false, true);
                    // null: the account was invalidated while this caller waited; it decides again
                    return token != null ? token : tokenSlow(env.clock().millis(), waitInsideWindow);
                } catch (TokenRefreshException e) {
                    // the refresh failed, but the token has not truly expired: it still works, so the caller gets it,
                    // exactly as callers arriving after the failure do
                    if (s.validAt(env.clock().millis()) && !(e instanceof AccountDisconnectedException)) {
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
            return SingleFlight.await(running);
        }
        return refreshUnlessBlocked(s, env.clock().millis(), true);
    }

    private Token refreshUnlessBlocked(AccountState s, long now, boolean callerWaits) {
        if (s.isDisconnected() && AccountDisconnect.reconnected(this)) {
            s = cell.state;
        }
        if (s.blockedAt(now)) {
            throw s.refusal(env.provider(), account);
        }
        EndpointBackoff.Pause pause = env.endpointBackoff().pausedAt(now);
        if (pause != null) {
            throw EndpointBackoff.refusal(env.provider(), account, pause);
        }
        Token token = startRefresh(s.epoch(), false, callerWaits);
        // null: the account was invalidated while this caller waited; the refresh it asked for is still due
        return token != null ? token : refreshUnlessBlocked(loaded(), env.clock().millis(), callerWaits);
    }

    /**
     * Forgets the access token, ends a backoff or dead state and makes the next use read the store again. It wins over
     * a refresh under way: that refresh still saves what it obtains (a rotated refresh token is never lost) and hands
     * its token to the callers that were already waiting for it, but the account keeps only its refresh token, so no
     * caller arriving after this returns gets an access token obtained before; the next one refreshes.
     */
    @Override
    public void invalidate() {
        cell.invalidate();
        LOG.info("tokenrefresh:{} account '{}': access token invalidated", env.provider(), account);
    }

    @Override
    public void supplyRefreshToken(String refreshToken) {
        supply.startOver(Token.ofRefreshToken(refreshToken, env.clock().instant()), "new refresh token supplied and saved");
    }

    @Override
    public Map<String, String> attributes() {
        Token token = loaded().token();
        return token == null ? Map.of() : token.getAttributes();
    }

    @Override
    public void supplyAttributes(Map<String, String> attributes) {
        supply.attributes(attributes);
    }

    /** Starts over from the token pair of an authorization (the code flow's callback): saved before it is used. */
    public void supplyAuthorizedToken(Token token) {
        supply.startOver(token, "authorized; new token pair saved, expires at " + token.getExpiresAt());
    }

    /**
     * Revokes the account's refresh token ({@code revocation}), deletes its record and refuses tokens from now on
     * ({@link AccountDisconnectedException}) until a token is saved for it again. Waits for a refresh under way.
     */
    public TokenRevocation.Outcome disconnect(TokenRevocation revocation) {
        return supply.disconnect(revocation);
    }

    @Override
    public AccountStatus status() {
        AccountState s = cell.state;
        Instant now = env.clock().instant();
        long millis = now.toEpochMilli();
        Token token = s.token();
        boolean timed = s.hasAccessToken() && token.getExpiresAt() != null;
        return AccountStatus.builder(env.provider(), account)
                .state(s.phase(millis), now, s.validAt(millis))
                .expiry(token == null ? null : token.getExpiresAt(),
                        timed ? Instant.ofEpochMilli(s.refreshAheadFrom()) : null,
                        timed ? Instant.ofEpochMilli(s.usableUntil()) : null)
                .history(stats.lastRefreshAt, stats.lastFailureAt, stats.lastErrorType,
                         s.failure() == null ? null : s.failure().nextAttempt())
                .tokenCalls(stats.tokenCalls).refreshes(stats.refreshes).failures(stats.failures)
                .refreshTokenExpiry(env.policy().refreshTokenExpiresAt(token),
                                    env.policy().isRefreshTokenExpiring(token, now))
                .refreshTokenIssuedAt(token == null || token.getRefreshToken() == null ? null
                        : token.getRefreshTokenIssuedAt())
                .adoptedRefreshes(stats.adoptedRefreshes).leaseWaits(stats.leaseWaits)
                .interruptedLeases(stats.interruptedLeases)
                .build();
    }

    AccountState state() {
        return cell.state;
    }

    /** See {@link AccountStateCell#commit(int, UnaryOperator)}. */
    AccountState commit(int epoch, UnaryOperator<AccountState> change) {
        return cell.commit(epoch, change);
    }

    /** See {@link AccountStateCell#commit(UnaryOperator)}. */
    AccountState commit(UnaryOperator<AccountState> change) {
        return cell.commit(change);
    }

    /** The state once the store was read (first use, or after an invalidate). */
    AccountState loaded() {
        return cell.loaded();
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

    /**
     * Whether the account holds anything a store may not: a token (even only a refresh token), one not saved yet, a
     * stored record, or a configured refresh token. Once it does, it always will: none of these goes back to nothing.
     */
    public boolean holdsSomething() {
        AccountState s = cell.state;
        return s.token() != null || s.unsaved() != null || s.storedVersion() != 0 || bootstrapRefreshToken != null;
    }

    /**
     * Whether forgetting the account now would change what happens next: a refresh or a saved token runs in its single
     * flight, or it backs off after a failed token call (forgotten, its next use would call at once).
     */
    public boolean busy() {
        AccountState s = cell.state;
        return !flights.idle() || s.failure() != null && stats.tokenCalls > 0 && s.blockedAt(env.clock().millis());
    }

    private Token startRefresh(int epoch, boolean background, boolean callerWaits) {
        return flights.refresh(epoch, background, env.executor(),
                               flight -> new AccountRefresh(this, flight, callerWaits).run());
    }

    @Override
    public String toString() {
        return "AccountTokens[provider=" + env.provider() + ", account=" + account + ", state="
               + cell.state.phase(env.clock().millis()) + "]";
    }
}
