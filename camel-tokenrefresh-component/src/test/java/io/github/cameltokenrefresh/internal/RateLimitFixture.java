package io.github.cameltokenrefresh.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.spec.SecretKeySpec;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.FallbackGrantType;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Authorization;
import io.github.cameltokenrefresh.internal.account.AccountEnvironment;
import io.github.cameltokenrefresh.internal.account.AccountObserver;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.account.TokenAcquisition;
import io.github.cameltokenrefresh.internal.account.TokenPersistence;
import io.github.cameltokenrefresh.internal.authorize.AuthorizationCodeFlow;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.internal.call.TokenEndpoint;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.FallbackGrant;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;

/**
 * Accounts of one provider over a token endpoint in memory that answers every call at once and notes the provider
 * clock's time of each call, with a rate limit shared by all of them, a real refresh pool and a clock moved by hand.
 */
final class RateLimitFixture implements AutoCloseable {

    static final String PROVIDER = "crm";
    static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    static final Duration LIFETIME = Duration.ofHours(1);
    static final ClientCredentials CREDENTIALS = new ClientCredentials("client-1", "secret-1", null);

    final MutableClock clock = new MutableClock(START);
    /** How callers wait for a permit here: woken by {@link #advance}, never polling real time. */
    final ClockDrivenWait clockWait = new ClockDrivenWait(clock);
    final MemoryTokenStore store = new MemoryTokenStore();
    final CallLog calls = new CallLog(clock);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    final TokenCallRateLimit rateLimit;
    /** The provider's one way to its token endpoint, shared by the accounts and the code exchange. */
    final TokenEndpoint tokenEndpoint;
    private final AccountEnvironment environment;
    private final AccountEnvironment withFallback;

    RateLimitFixture(double perSecond) {
        rateLimit = new TokenCallRateLimit(PROVIDER, perSecond, clock, clockWait);
        RefreshPolicy policy = new RefreshPolicy(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10),
                                                 Duration.ofMinutes(10));
        tokenEndpoint = new TokenEndpoint(PROVIDER, acquisitionDialect(),
                ClientAuthenticator.of(ClientAuthentication.basic, CREDENTIALS), calls, LIFETIME, clock, rateLimit,
                new EndpointBackoff(policy));
        TokenPersistence persistence = new TokenPersistence(PROVIDER, store);
        environment = new AccountEnvironment(PROVIDER, policy, clock, pool, acquisition(null), persistence, NO_OBSERVER);
        withFallback = new AccountEnvironment(PROVIDER, policy, clock, pool,
                acquisition(new FallbackGrant(FallbackGrantType.client_credentials, null, null, null)), persistence,
                NO_OBSERVER);
    }

    private static TokenRequestDialect acquisitionDialect() {
        return new TokenRequestDialect(URI.create("https://auth.example/token"), BodyEncoding.form,
                "refresh_token", "grant_type", "refresh_token", GrantTypeLocation.body, ClientAuthentication.basic,
                Map.of(), Map.of());
    }

    private TokenAcquisition acquisition(FallbackGrant fallback) {
        return new TokenAcquisition(tokenEndpoint, fallback);
    }

    /** The authorization-code flow of the provider, over the same token endpoint and rate limit. */
    AuthorizationCodeFlow authorization() {
        Authorization settings = new Authorization(URI.create("https://auth.example/authorize"),
                URI.create("https://app.example/callback"), null, true,
                new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Duration.ofMinutes(10));
        return new AuthorizationCodeFlow(settings, CREDENTIALS, tokenEndpoint, clock, this::account, event -> {
        });
    }

    AccountTokenCache account(String name) {
        return new AccountTokenCache(name, environment);
    }

    /** An account whose provider has the client_credentials fallback grant. */
    AccountTokenCache accountWithFallback(String name) {
        return new AccountTokenCache(name, withFallback);
    }

    /** The account has a refresh token only: due, its first use makes a token call. */
    void storeRefreshToken(String account) {
        store.save(PROVIDER, account, Token.ofRefreshToken("rt-" + account, clock.instant()), 0);
    }

    /** The account holds a token issued {@code age} ago. */
    void storeToken(String account, Duration age) {
        Instant issued = clock.instant().minus(age);
        store.save(PROVIDER, account, Token.builder().accessToken("at-" + account).refreshToken("rt-" + account)
                .tokenType("Bearer").issuedAt(issued).expiresAt(issued.plus(LIFETIME)).refreshTokenIssuedAt(issued)
                .build(), 0);
    }

    void advance(Duration step) {
        clockWait.advance(step);
    }

    long elapsedMillis() {
        return Duration.between(START, clock.instant()).toMillis();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static final AccountObserver NO_OBSERVER = new AccountObserver() {
        @Override
        public void onEvent(TokenEvent event) {
        }

        @Override
        public void onTokenChanged(AccountTokenCache account, Token previous, Token current) {
        }
    };

    /** The token endpoint: answers every call with a new token pair, noting when (ms after START) and which grant. */
    static final class CallLog implements TokenClient {
        private final MutableClock clock;
        private final List<Long> times = Collections.synchronizedList(new ArrayList<>());
        private final List<String> grants = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger issued = new AtomicInteger();

        CallLog(MutableClock clock) {
            this.clock = clock;
        }

        @Override
        public TokenResponse send(TokenRequest request) {
            times.add(Duration.between(START, clock.instant()).toMillis());
            String body = new String(request.body(), StandardCharsets.UTF_8);
            grants.add(body.replaceAll(".*grant_type=([a-z_]+).*", "$1"));
            int n = issued.incrementAndGet();
            return new TokenResponse(200, "application/json", null, null,
                    ("{\"access_token\":\"at-new-" + n + "\",\"refresh_token\":\"rt-new-" + n + "\",\"expires_in\":"
                     + LIFETIME.toSeconds() + ",\"token_type\":\"Bearer\"}").getBytes(StandardCharsets.UTF_8));
        }

        int count() {
            return times.size();
        }

        List<Long> times() {
            synchronized (times) {
                return List.copyOf(times);
            }
        }

        List<String> grants() {
            synchronized (grants) {
                return List.copyOf(grants);
            }
        }

        /** The most calls inside any half-open second of the clock. */
        int mostCallsInOneSecond() {
            List<Long> sorted = new ArrayList<>(times());
            Collections.sort(sorted);
            int most = 0;
            for (int i = 0; i < sorted.size(); i++) {
                int j = i;
                while (j < sorted.size() && sorted.get(j) < sorted.get(i) + 1000) {
                    j++;
                }
                most = Math.max(most, j - i);
            }
            return most;
        }
    }
}
