package io.github.cameltokenrefresh.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;


import io.github.cameltokenrefresh.dialect.ClientCredentials;
import io.github.cameltokenrefresh.dialect.FallbackGrant;
import io.github.cameltokenrefresh.dialect.TokenRequestDialect;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenResponseParser;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured provider: how to ask (dialect, credentials, client), where tokens live (store), when to refresh
 * (policy), and the token source of each account. Every endpoint naming the provider shares this instance.
 */
public final class Provider extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Provider.class);

    private final String name;
    private final TokenRequestDialect dialect;
    private final ClientCredentials credentials;
    private final Duration defaultExpiresIn;
    private final RefreshPolicy policy;
    private final TokenStore store;
    private final TokenClient client;
    private final Executor executor;
    private final Clock clock;
    private final Map<String, TokenSource> sources = new ConcurrentHashMap<>();
    private final Map<String, String> bootstrapRefreshTokens = new ConcurrentHashMap<>();
    private final Duration refreshWindow;
    private final FallbackGrant fallbackGrant;
    private final boolean refreshOnStart;
    private final Set<String> refreshedOnStart = ConcurrentHashMap.newKeySet();
    private final ExpiryIndex expiries = new ExpiryIndex();
    private volatile boolean indexed;
    private final List<TokenEventListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AccessTokenIndex accessTokens;

    public Provider(String name, TokenRequestDialect dialect, ClientCredentials credentials, Duration defaultExpiresIn,
                    RefreshPolicy policy, TokenStore store, TokenClient client, Executor executor, Clock clock,
                    Duration refreshWindow, boolean refreshOnStart, FallbackGrant fallbackGrant,
                    AccessTokenIndex accessTokens) {
        this.accessTokens = accessTokens;
        this.fallbackGrant = fallbackGrant;
        this.refreshWindow = refreshWindow;
        this.refreshOnStart = refreshOnStart;
        this.name = name;
        this.dialect = dialect;
        this.credentials = credentials;
        this.defaultExpiresIn = defaultExpiresIn;
        this.policy = policy;
        this.store = store;
        this.client = client;
        this.executor = executor;
        this.clock = clock;
    }

    public String getName() {
        return name;
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(client);
    }

    @Override
    protected void doStop() throws Exception {
        sources.values().forEach(TokenSource::unindex);
        ServiceHelper.stopService(client);
    }

    /**
     * Registers the configured refresh token of an account, used only while the store holds none for it.
     *
     * @throws IllegalArgumentException when another endpoint configured a different one for the same account
     */
    public void registerBootstrapRefreshToken(String account, String refreshToken) {
        String previous = bootstrapRefreshTokens.putIfAbsent(account, refreshToken);
        if (previous != null && !previous.equals(refreshToken)) {
            throw new IllegalArgumentException("Option refreshToken: provider '" + name + "' account '" + account
                                               + "' is given two different refresh tokens by two endpoints");
        }
    }

    /**
     * Called as each producer using the provider starts: with refreshOnStart, refreshes that producer's account and,
     * the first time, every stored account, when due. Failures are logged, not thrown: one dead account must not stop
     * the routes of all the others.
     */
    public void onProducerStart(String account) {
        if (!refreshOnStart) {
            return;
        }
        List<String> accounts = new ArrayList<>();
        if (refreshedOnStart.add(account)) {
            accounts.add(account);
        }
        if (refreshedOnStart.add("\u0000stored")) {
            store.accounts(name).stream().filter(refreshedOnStart::add).forEach(accounts::add);
        }
        for (String a : accounts) {
            try {
                if (account(a).refreshIfExpiresWithin(refreshWindow)) {
                    LOG.info("tokenrefresh:{} account '{}': refreshed on start", name, a);
                }
            } catch (TokenRefreshException e) {
                LOG.error("tokenrefresh:{} account '{}': refresh on start failed: {}", name, a, e.getMessage());
            }
        }
    }

    /**
     * Refreshes every account whose token is missing or expires within the refresh window, and only those.
     *
     * @return {refreshed: [accounts], failed: {account: error type}, notDue: count}
     */
    public Map<String, Object> refreshDue() {
        ensureIndexed();
        List<String> due = expiries.dueBefore(clock.instant().plus(refreshWindow));
        List<String> refreshed = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (String a : due) {
            try {
                if (account(a).refreshIfExpiresWithin(refreshWindow)) {
                    refreshed.add(a);
                }
            } catch (TokenRefreshException e) {
                failed.put(a, e.getErrorType());
            }
        }
        int notDue = expiries.size() - refreshed.size() - failed.size();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("refreshed", refreshed);
        report.put("failed", failed);
        report.put("notDue", notDue);
        if (!refreshed.isEmpty() || !failed.isEmpty()) {
            LOG.info("tokenrefresh:{} scheduled refresh: {} refreshed, {} failed, {} not due", name, refreshed.size(),
                     failed.size(), notDue);
        }
        return report;
    }

    /**
     * Indexes the expiry of every stored account once, reading records without keeping them: from then on token
     * sources keep the index current, so a scheduled pass costs what is due, not what is held.
     */
    private void ensureIndexed() {
        if (indexed) {
            return;
        }
        synchronized (expiries) {
            if (indexed) {
                return;
            }
            for (String stored : store.accounts(name)) {
                if (!expiries.contains(stored)) {
                    StoredToken record = store.load(name, stored);
                    Token token = record == null ? null : record.getToken();
                    expiries.update(stored, token == null || !token.hasAccessToken() ? null : token.getExpiresAt());
                }
            }
            indexed = true;
        }
    }

    /** Called by token sources whenever their access token changes; null when they hold none. */
    void indexExpiry(String account, Instant expiresAt) {
        expiries.update(account, expiresAt);
    }

    public void addListener(TokenEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TokenEventListener listener) {
        listeners.remove(listener);
    }

    void fire(TokenEvent event) {
        for (TokenEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                // a listener must not break a refresh
                LOG.warn("tokenrefresh:{} event listener {} failed on {}: {}", name, listener, event.getType(), e.toString());
            }
        }
    }

    String bootstrapRefreshToken(String account) {
        return bootstrapRefreshTokens.get(account);
    }

    /** The token source of an account, created on first use. */
    public TokenSource account(String account) {
        TokenSource source = sources.get(account);
        // a plain get first: computeIfAbsent would allocate its capturing lambda on every call of the hot path
        return source != null ? source : sources.computeIfAbsent(account, a -> new TokenSource(this, a));
    }

    /** Accounts known in memory (used since start) or in the store. */
    public List<String> accounts() {
        List<String> all = new ArrayList<>(sources.keySet());
        for (String stored : store.accounts(name)) {
            if (!sources.containsKey(stored)) {
                all.add(stored);
            }
        }
        return all;
    }

    /** The status of every account used since start (in memory), in account order. */
    public List<TokenSourceStatus> statuses() {
        List<TokenSourceStatus> list = new ArrayList<>();
        sources.values().forEach(s -> list.add(s.status()));
        list.sort(java.util.Comparator.comparing(TokenSourceStatus::getAccount));
        return list;
    }

    /** The status of one account, or null when it has not been used since start. */
    public TokenSourceStatus status(String account) {
        TokenSource source = sources.get(account);
        return source == null ? null : source.status();
    }

    /** The unattended grant to use when the refresh token is dead or missing, or null. */
    FallbackGrant fallbackGrant() {
        return fallbackGrant;
    }

    TokenRequestDialect dialect() {
        return dialect;
    }

    ClientCredentials credentials() {
        return credentials;
    }

    TokenResponseParser parser(String account) {
        return new TokenResponseParser(name, account, defaultExpiresIn);
    }

    RefreshPolicy policy() {
        return policy;
    }

    public TokenStore store() {
        return store;
    }

    TokenClient client() {
        return client;
    }

    AccessTokenIndex accessTokens() {
        return accessTokens;
    }

    Executor executor() {
        return executor;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "Provider[" + name + ", " + dialect + ", " + credentials + ", store=" + store + "]";
    }
}
