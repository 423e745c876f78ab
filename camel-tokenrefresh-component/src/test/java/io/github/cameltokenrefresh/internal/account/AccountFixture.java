package io.github.cameltokenrefresh.internal.account;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.FallbackGrantType;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.internal.call.TokenEndpoint;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.FallbackGrant;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;

/**
 * One account's token cache over a scripted token endpoint, a memory store that can be told to fail, a clock moved by
 * hand, an executor that queues background refreshes until the test runs them, and an observer that records.
 * <p>
 * Times for the default one-hour token: refresh-ahead from 55 min (refreshAhead 5 min), expiry margin from 59 min
 * 30 s (expiryMargin 30 s), expired at 60 min. Backoff starts at 10 s (5 to 10 s with jitter).
 */
final class AccountFixture {

    static final String PROVIDER = "crm";
    static final String ACCOUNT = "acme";
    static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    static final Duration LIFETIME = Duration.ofHours(1);
    static final Duration REFRESH_AHEAD_FROM = Duration.ofMinutes(55);
    static final Duration EXPIRY_MARGIN_FROM = Duration.ofMinutes(59).plusSeconds(30);

    final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    final MutableClock clock = new MutableClock(START);
    final ScriptedTokenClient client = new ScriptedTokenClient(journal);
    final RecordingStore store;
    final RecordingObserver observer = new RecordingObserver();
    final QueuedExecutor executor = new QueuedExecutor();

    private FallbackGrant fallbackGrant;
    private Duration refreshTokenLifetime;
    private Duration refreshTokenExpiryWarning = Duration.ZERO;
    private AccountTokenCache cache;

    AccountFixture() {
        store = new RecordingStore(journal);
    }

    private AccountFixture(RecordingStore shared) {
        store = shared;
    }

    AccountFixture withClientCredentialsFallback() {
        fallbackGrant = new FallbackGrant(FallbackGrantType.client_credentials, "password", null, null);
        return this;
    }

    AccountFixture withRefreshTokenLifetime(Duration lifetime, Duration warning) {
        refreshTokenLifetime = lifetime;
        refreshTokenExpiryWarning = warning;
        return this;
    }

    static RefreshPolicy policy(Duration refreshTokenLifetime, Duration warning) {
        return new RefreshPolicy(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10),
                                 Duration.ofMinutes(10), refreshTokenLifetime, warning);
    }

    AccountTokenCache cache() {
        if (cache == null) {
            RefreshPolicy policy = policy(refreshTokenLifetime, refreshTokenExpiryWarning);
            TokenAcquisition acquisition = new TokenAcquisition(tokenEndpoint(dialect(), client, clock, policy),
                                                                fallbackGrant);
            AccountEnvironment env = new AccountEnvironment(PROVIDER, policy, clock, executor, acquisition,
                    new TokenPersistence(PROVIDER, store), observer);
            cache = new AccountTokenCache(ACCOUNT, env);
        }
        return cache;
    }

    /** The provider's token endpoint as the fixture's accounts speak to it: form, refresh_token, basic auth. */
    static TokenRequestDialect dialect() {
        return new TokenRequestDialect(URI.create("https://auth.example/token"), BodyEncoding.form, "refresh_token",
                "grant_type", "refresh_token", GrantTypeLocation.body, ClientAuthentication.basic, Map.of(), Map.of());
    }

    /** The provider's token calls, over {@code client}, without a rate limit, with basic client authentication. */
    static TokenEndpoint tokenEndpoint(TokenRequestDialect dialect, TokenClient client, Clock clock,
                                       RefreshPolicy policy) {
        return tokenEndpoint(dialect, client, clock, policy, TokenCallRateLimit.NONE);
    }

    /** The same, with the provider's {@code maxTokenCallsPerSecond}. */
    static TokenEndpoint tokenEndpoint(TokenRequestDialect dialect, TokenClient client, Clock clock,
                                       RefreshPolicy policy, TokenCallRateLimit rateLimit) {
        return new TokenEndpoint(PROVIDER, dialect, ClientAuthenticator.of(ClientAuthentication.basic,
                new ClientCredentials("client-1", "secret-1", null)), client, LIFETIME, clock, rateLimit,
                new EndpointBackoff(policy));
    }

    /** A second account cache (a restart, or another instance) over the same store, at the same time. */
    AccountFixture restartedOnTheSameStore() {
        AccountFixture other = new AccountFixture(store);
        other.clock.advance(Duration.between(START, clock.instant()));
        other.fallbackGrant = fallbackGrant;
        other.refreshTokenLifetime = refreshTokenLifetime;
        other.refreshTokenExpiryWarning = refreshTokenExpiryWarning;
        return other;
    }

    /** What a person or an earlier run left in the store: a refresh token only. */
    void storeRefreshToken(String refreshToken) {
        store.save(PROVIDER, ACCOUNT, Token.ofRefreshToken(refreshToken, clock.instant()), 0);
        journal.clear();
    }

    /** The account holds at-1 / rt-1, obtained at {@link #START} with rt-0; one token call made. */
    Token freshToken() {
        storeRefreshToken("rt-0");
        client.then(ScriptedTokenClient.ok("at-1", "rt-1", LIFETIME.toSeconds()));
        Token token = cache().token();
        journal.clear();
        observer.clear();
        return token;
    }

    /** Moves the clock to {@code offset} after {@link #START}. */
    void at(Duration offset) {
        clock.advance(Duration.between(clock.instant(), START.plus(offset)));
    }

    /** Moves the clock to when the failing account may call the token endpoint again. */
    void toNextAttempt() {
        Instant next = cache().status().nextAttemptAt();
        clock.advance(Duration.between(clock.instant(), next));
    }

    StoredToken stored() {
        return store.load(PROVIDER, ACCOUNT);
    }

    /** Saves a record as another instance sharing the store would: on top of the current one. */
    void anotherInstanceSaves(Token token) {
        StoredToken current = stored();
        store.save(PROVIDER, ACCOUNT, token, current == null ? 0 : current.version());
    }

    static Token token(String accessToken, String refreshToken, Instant issuedAt, Duration lifetime) {
        return Token.builder().accessToken(accessToken).refreshToken(refreshToken).tokenType("Bearer")
                .issuedAt(issuedAt).expiresAt(issuedAt.plus(lifetime)).refreshTokenIssuedAt(issuedAt).build();
    }

    // ------------------------------------------------------------------ doubles

    /** A memory store that journals saves and fails the next saves when told to. */
    static final class RecordingStore extends MemoryTokenStore {
        private final List<String> journal;
        private final AtomicInteger failingSaves = new AtomicInteger();
        final AtomicInteger saves = new AtomicInteger();

        RecordingStore(List<String> journal) {
            this.journal = journal;
        }

        private final AtomicInteger failingLoads = new AtomicInteger();

        void failNextSaves(int count) {
            failingSaves.set(count);
        }

        void failNextLoads(int count) {
            failingLoads.set(count);
        }

        @Override
        public StoredToken load(String provider, String account) {
            if (failingLoads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("store offline");
            }
            return super.load(provider, account);
        }

        @Override
        public StoredToken save(String provider, String account, Token token, long expectedVersion) {
            if (failingSaves.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                journal.add("save failed " + token.getRefreshToken());
                throw new IllegalStateException("disk full");
            }
            StoredToken saved = super.save(provider, account, token, expectedVersion);
            saves.incrementAndGet();
            journal.add("save " + token.getRefreshToken());
            return saved;
        }
    }

    /** Records events and each change of the token handed out. */
    static final class RecordingObserver implements AccountObserver {
        final List<TokenEvent> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> tokenChanges = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onEvent(TokenEvent event) {
            events.add(event);
        }

        @Override
        public void onTokenChanged(AccountTokenCache account, Token previous, Token current) {
            tokenChanges.add(describe(previous) + " -> " + describe(current));
        }

        List<TokenEvent.Type> types() {
            synchronized (events) {
                return events.stream().map(TokenEvent::type).toList();
            }
        }

        TokenEvent last() {
            return events.get(events.size() - 1);
        }

        void clear() {
            events.clear();
            tokenChanges.clear();
        }

        private static String describe(Token token) {
            if (token == null) {
                return "none";
            }
            return (token.getAccessToken() == null ? "-" : token.getAccessToken()) + "/" + token.getRefreshToken();
        }
    }

    /** Background refreshes wait here until the test runs them, on its own thread or another. */
    static final class QueuedExecutor implements Executor {
        private final Deque<Runnable> queued = new ArrayDeque<>();
        private boolean rejecting;

        /** From now on behaves as a shut-down or saturated executor. */
        synchronized void rejectAll() {
            rejecting = true;
        }

        @Override
        public synchronized void execute(Runnable task) {
            if (rejecting) {
                throw new RejectedExecutionException("saturated");
            }
            queued.add(task);
        }

        synchronized int queued() {
            return queued.size();
        }

        /** Runs the one queued background refresh; fails if there is not exactly one. */
        void runTheOneQueued() {
            Runnable task;
            synchronized (this) {
                if (queued.size() != 1) {
                    throw new AssertionError("expected exactly one background refresh, found " + queued.size());
                }
                task = queued.poll();
            }
            task.run();
        }
    }
}
