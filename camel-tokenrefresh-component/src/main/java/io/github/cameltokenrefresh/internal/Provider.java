package io.github.cameltokenrefresh.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.cameltokenrefresh.internal.account.AccountObserver;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.account.LeaseActivity;
import io.github.cameltokenrefresh.internal.authorize.AuthorizationCodeFlow;
import io.github.cameltokenrefresh.internal.call.TokenRevocation;
import io.github.cameltokenrefresh.internal.dpop.DpopPresentation;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.ProviderTokens;
import io.github.cameltokenrefresh.token.RefreshReport;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenEventListener;
import io.github.cameltokenrefresh.token.TokenState;
import io.github.cameltokenrefresh.token.TooManyAccountsException;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * One running provider: the token cache of each account, the configured refresh tokens, and the scheduled and start-up
 * passes. How its token calls are put together is {@link ProviderTokenCalls}'s, its listeners {@link ProviderEvents}'.
 * Every endpoint naming the provider shares this instance.
 */
public final class Provider extends ServiceSupport implements ProviderTokens, AccountObserver {

    private final ProviderDefinition definition;
    private final TokenStore store;
    private final TokenClient client;
    private final Clock clock;
    private final ExecutorService executor;
    private final ProviderTokenCalls calls;
    /** The accounts kept in memory, at most maxAccounts. */
    private final ProviderAccounts accounts;
    private final Map<String, String> bootstrapRefreshTokens = new ConcurrentHashMap<>();
    /** The listeners and the count of changes. */
    private final ProviderEvents events;
    private final ProviderPasses passes;
    /** RFC 7009 revocation for disconnect; its client is null without a revocation endpoint. */
    private final TokenRevocation revocation;
    private final TokenClient revocationClient;

    public Provider(ProviderDefinition definition, TokenStore store, TokenClient client, ExecutorService executor,
                    Clock clock) {
        this(definition, store, client, null, executor, clock);
    }

    /** @param revocationClient the client of the revocation endpoint, or null without one */
    public Provider(ProviderDefinition definition, TokenStore store, TokenClient client, TokenClient revocationClient,
                    ExecutorService executor, Clock clock) {
        this.definition = definition;
        this.revocationClient = revocationClient;
        this.revocation = new TokenRevocation(definition.name(), definition.revocationUrl(), revocationClient,
                // the token endpoint's client authentication, signed assertions included (RFC 7009 §2.1)
                ClientAuthenticator.of(definition.dialect().clientAuthentication(), definition.credentials(),
                                       definition.clientAssertion(), clock));
        this.executor = executor;
        this.accounts = new ProviderAccounts(definition.name(), definition.maxAccounts(), this::newAccount);
        this.store = store;
        this.client = client;
        this.clock = clock;
        this.events = new ProviderEvents(definition.name(), this::authorization);
        this.calls = new ProviderTokenCalls(definition, store, client, executor, clock, this, this::account,
                                            this::onEvent);
        this.passes = new ProviderPasses(definition, store, clock, executor, this::account, calls.rateLimit());
    }

    /** The authorization-code flow that onboards accounts, or null when not configured. */
    public AuthorizationCodeFlow authorization() {
        return calls.authorization();
    }

    /** How an API request presents this provider's DPoP-bound tokens, or null without DPoP (send-time decoration). */
    public DpopPresentation dpopPresentation() {
        return calls.dpop() == null ? null : new DpopPresentation(calls.dpop());
    }

    /** A fresh link that re-authorizes the account, or null without the flow; it holds no secret. */
    public String reauthorizationUrl(String account) {
        return calls.authorization() == null ? null : calls.authorization().authorizationUrl(account);
    }

    @Override
    public String name() {
        return definition.name();
    }

    public ProviderDefinition definition() {
        return definition;
    }

    /** Where the provider keeps its tokens (not on {@link ProviderTokens}: the token API does not name the store). */
    public TokenStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** When token calls resume for every account after the endpoint answered 429/503 or was unreachable; or null. */
    public Instant tokenEndpointPausedUntil() {
        return calls.endpointPausedUntil();
    }

    /** The error type that paused the token endpoint, or null. */
    public String tokenEndpointPauseError() {
        return calls.endpointPauseError();
    }

    /** The refresh leases this instance holds and waits for now, and who it is as a lease owner. */
    public LeaseActivity leases() {
        return calls.leases();
    }

    /**
     * The refresh backlog: accounts due (their access token missing or expiring within the refresh window) that are
     * not dead, among those this instance knows of; costs what is due, not what is held.
     */
    public int refreshBacklog() {
        int backlog = 0;
        for (String due : passes.knownDue()) {
            AccountTokenCache cache = accounts.get(due);
            if (cache == null || cache.status().state() != TokenState.DEAD) {
                backlog++;
            }
        }
        return backlog;
    }

    /** The pool of this provider's refreshes. */
    public ExecutorService executor() {
        return executor;
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(client, revocationClient);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(client, revocationClient);
        calls.close(); // the lease renewal thread
    }

    /** Operation disconnect: revokes the account's refresh token, deletes its record, refuses it tokens from now on. */
    public TokenRevocation.Outcome disconnect(String account) {
        return account(account).disconnect(revocation);
    }

    /** Ends lease waits once this says the application stops, so graceful shutdown is not held by one. */
    public void endLeaseWaitsWhen(BooleanSupplier stopping) {
        calls.endLeaseWaitsWhen(stopping);
    }

    /**
     * Registers the configured refresh token of an account, used only while the store holds none for it.
     *
     * @throws IllegalArgumentException when another endpoint configured a different one for the same account
     */
    public void registerBootstrapRefreshToken(String account, String refreshToken) {
        String previous = bootstrapRefreshTokens.putIfAbsent(account, refreshToken);
        if (previous != null && !previous.equals(refreshToken)) {
            throw new IllegalArgumentException("Option refreshToken: provider '" + name() + "' account '" + account
                                               + "' is given two different refresh tokens by two endpoints");
        }
        accounts.pin(account);
        AccountTokenCache existing = accounts.get(account);
        if (existing != null) {
            existing.offerBootstrapRefreshToken(refreshToken);
        }
    }

    /**
     * The tokens of an account, created on first use.
     *
     * @throws TooManyAccountsException when a new account would exceed maxAccounts and none can be evicted
     */
    @Override
    public AccountTokenCache account(String account) {
        return accounts.account(account);
    }

    /** How many accounts the provider keeps in memory now: at most maxAccounts. */
    public int accountsInMemory() {
        return accounts.size();
    }

    /** Whether the account cache is one of this provider's. */
    public boolean holds(AccountTokenCache account) {
        return accounts.get(account.account()) == account;
    }

    private AccountTokenCache newAccount(String account) {
        AccountTokenCache cache = new AccountTokenCache(account, calls.environment());
        cache.offerBootstrapRefreshToken(bootstrapRefreshTokens.get(account));
        return cache;
    }

    /**
     * Called as each producer using the provider starts: with refreshOnStart, refreshes that producer's account when
     * due, before its route takes traffic.
     */
    public void onProducerStart(String account) {
        accounts.pin(account);
        passes.onProducerStart(account);
    }

    /**
     * Once the provider started: the start-up pass on that executor, so routes take traffic meanwhile. It indexes the
     * stored accounts' expiries when a schedule will need them and, with refreshOnStart, refreshes the due ones.
     */
    public void startPassesInBackground(Executor background) {
        passes.startInBackground(background);
    }

    /** Completes when the start-up pass has ended (at once without one); for tests and benchmarks. */
    public CompletableFuture<Void> startupPass() {
        return passes.startupPass();
    }

    @Override
    public RefreshReport refreshDue() {
        return passes.refreshDue();
    }

    @Override
    public void onTokenChanged(AccountTokenCache account, Token previous, Token current) {
        passes.indexToken(account.account(), current);
        events.onTokenChanged(account, previous, current);
    }

    @Override
    public void onEvent(TokenEvent event) {
        events.onEvent(event);
    }

    @Override
    public void addListener(TokenEventListener listener) {
        events.addListener(listener);
    }

    @Override
    public void removeListener(TokenEventListener listener) {
        events.removeListener(listener);
    }

    public void addAccessTokenListener(AccessTokenListener listener) {
        events.addAccessTokenListener(listener);
    }

    public void removeAccessTokenListener(AccessTokenListener listener) {
        events.removeAccessTokenListener(listener);
    }

    @Override
    public List<String> accounts() {
        List<String> all = new ArrayList<>(accounts.names());
        for (String stored : store.accounts(name())) {
            if (accounts.get(stored) == null) {
                all.add(stored);
            }
        }
        return all;
    }

    @Override
    public List<AccountStatus> statuses() {
        List<AccountStatus> list = new ArrayList<>();
        forEachStatus(list::add);
        list.sort(Comparator.comparing(AccountStatus::account));
        return list;
    }

    /** The status of every account used since start, in no order: for views that only count. */
    public void forEachStatus(Consumer<AccountStatus> action) {
        accounts.all().forEach(a -> action.accept(a.status()));
    }

    /** Grows with every token change and event: views that add up statuses may reuse a sum while it stands still. */
    public long changes() {
        return events.changes();
    }

    @Override
    public AccountStatus status(String account) {
        AccountTokenCache cache = accounts.get(account);
        return cache == null ? null : cache.status();
    }

    @Override
    public String toString() {
        return "Provider[" + name() + ", " + definition.dialect() + ", " + definition.credentials() + ", store=" + store
               + "]";
    }
}
