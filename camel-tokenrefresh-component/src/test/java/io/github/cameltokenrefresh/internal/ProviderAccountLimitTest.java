package io.github.cameltokenrefresh.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.FallbackGrantType;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.ProviderDefinition.HttpSettings;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Schedule;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.FallbackGrant;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.RefreshTokenMissingException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TooManyAccountsException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One provider flooded with 100,000 account names, as a multi-tenant API passing its callers' account header on would
 * be: the accounts kept in memory never exceed maxAccounts, the accounts in use keep their tokens, and a new account
 * that cannot be kept fails naming the option. In memory, without a socket: a memory store and a token endpoint that
 * answers at once.
 */
class ProviderAccountLimitTest {

    private static final String PROVIDER = "crm";
    private static final int CAP = 1_000;
    private static final int FLOOD = 100_000;
    private static final String LOGGERS = "io.github.cameltokenrefresh";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final MemoryTokenStore store = new MemoryTokenStore();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private Level logLevel;

    @BeforeEach
    void quiet() {
        // every unknown name fails (no refresh token) and logs a warning: 100,000 of them would only slow the test
        logLevel = LogManager.getLogger(LOGGERS).getLevel();
        Configurator.setLevel(LOGGERS, Level.ERROR);
    }

    @AfterEach
    void restore() {
        Configurator.setLevel(LOGGERS, logLevel);
        pool.shutdownNow();
    }

    @Test
    void namesThatHoldNothingAreEvictedAndKnownAccountsKeepWorking() {
        Provider provider = provider(null);
        AccountTokenCache known = known(provider, "known");
        provider.onProducerStart("endpoint-account");
        AccountTokenCache endpointAccount = provider.account("endpoint-account");
        assertThrows(RefreshTokenMissingException.class, endpointAccount::token);

        for (int i = 0; i < FLOOD; i++) {
            try {
                provider.account("tenant-" + i).token();
                fail("tenant-" + i + " has no refresh token");
            } catch (RefreshTokenMissingException expected) {
                // what an unknown name gets; it holds nothing, so it may be forgotten
            }
            if (provider.accountsInMemory() > CAP) {
                fail(provider.accountsInMemory() + " accounts kept after " + (i + 1) + " names, maxAccounts=" + CAP);
            }
            if (i % 10_000 == 0) {
                assertEquals("at-known", provider.account("known").token().getAccessToken());
            }
        }

        assertSame(known, provider.account("known"), "an account holding a token is never evicted");
        assertSame(endpointAccount, provider.account("endpoint-account"), "an endpoint's account is never evicted");
        assertEquals("at-known", known.token().getAccessToken());
        assertEquals(0, tokenCalls.get(), "unknown names cost no token call");
        assertTrue(provider.accountsInMemory() <= CAP);
    }

    @Test
    void anEvictedAccountComesBackFromTheStore() {
        Provider provider = provider(null);
        AccountTokenCache first = provider.account("tenant-0");
        assertThrows(RefreshTokenMissingException.class, first::token);
        for (int i = 1; i <= CAP; i++) {
            assertThrows(RefreshTokenMissingException.class, provider.account("tenant-" + i)::token);
        }
        assertFalse(provider.holds(first), "the oldest account that held nothing was evicted");

        // onboarded meanwhile (another instance, or a person): its next use reads the store
        store.save(PROVIDER, "tenant-0", token("at-onboarded"), 0);
        AccountTokenCache back = provider.account("tenant-0");
        assertEquals("at-onboarded", back.token().getAccessToken());
        assertTrue(provider.holds(back));
    }

    @Test
    void aNewAccountBeyondTheLimitFailsNamingTheOptionAndOthersKeepWorking() {
        // with a fallback grant every name obtains a token: each account then holds one and is never evicted
        Provider provider = provider(new FallbackGrant(FallbackGrantType.client_credentials, null, null, null));
        AccountTokenCache known = known(provider, "known");
        int refused = 0;
        for (int i = 0; i < 2 * CAP; i++) {
            try {
                assertTrue(provider.account("tenant-" + i).token().hasAccessToken());
            } catch (TooManyAccountsException e) {
                refused++;
                assertTrue(e.getMessage().contains("maxAccounts=" + CAP), e.getMessage());
                assertEquals(CAP, e.getMaxAccounts());
                assertEquals("too_many_accounts", e.getErrorType());
                assertEquals("tenant-" + i, e.getAccount());
            }
            assertTrue(provider.accountsInMemory() <= CAP);
        }

        assertEquals(CAP + 1, refused, "known and " + (CAP - 1) + " tenants are kept, the rest refused");
        assertEquals(CAP - 1, tokenCalls.get(), "a refused account makes no token call");
        assertSame(known, provider.account("known"));
        assertEquals("at-known", known.token().getAccessToken());
        assertTrue(provider.account("tenant-0").token().hasAccessToken(), "accounts kept keep working");
        assertFalse(provider.statuses().stream().anyMatch(s -> s.isDown()), "a refusal leaves no account down");
    }

    // ------------------------------------------------------------------ helpers

    private AccountTokenCache known(Provider provider, String account) {
        store.save(PROVIDER, account, token("at-" + account), 0);
        AccountTokenCache cache = provider.account(account);
        assertEquals("at-" + account, cache.token().getAccessToken());
        return cache;
    }

    private Token token(String accessToken) {
        Instant now = clock.instant();
        return Token.builder().accessToken(accessToken).refreshToken("rt-" + accessToken).tokenType("Bearer")
                .issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).refreshTokenIssuedAt(now).build();
    }

    private Provider provider(FallbackGrant fallback) {
        TokenRequestDialect dialect = new TokenRequestDialect(URI.create("https://auth.example/token"),
                BodyEncoding.form, "refresh_token", "grant_type", "refresh_token", GrantTypeLocation.body,
                ClientAuthentication.basic, Map.of(), Map.of());
        RefreshPolicy policy = new RefreshPolicy(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10),
                                                 Duration.ofMinutes(10));
        Schedule schedule = new Schedule(null, Duration.ZERO, Duration.ofMinutes(10), false, 4, 0, Duration.ZERO, null);
        HttpSettings http = new HttpSettings(Map.of(), null, Duration.ofSeconds(10), Duration.ofSeconds(30));
        ProviderDefinition definition = new ProviderDefinition(PROVIDER, dialect,
                new ClientCredentials("client-1", "secret-1", null), fallback, Duration.ofHours(1), policy, schedule,
                http, null, null, CAP);
        return new Provider(definition, store, answeringAtOnce(), pool, clock);
    }

    /** A token endpoint that grants a new token on every call. */
    private TokenClient answeringAtOnce() {
        return request -> {
            int n = tokenCalls.incrementAndGet();
            String body = "{\"access_token\":\"at-" + n + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}";
            return new TokenResponse(200, "application/json", null, null, body.getBytes(StandardCharsets.UTF_8));
        };
    }
}
