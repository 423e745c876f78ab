package io.github.cameltokenrefresh.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LongSummaryStatistics;
import java.util.Set;

import io.github.cameltokenrefresh.internal.account.AccountEnvironment;
import io.github.cameltokenrefresh.internal.account.AccountObserver;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.account.TokenAcquisition;
import io.github.cameltokenrefresh.internal.account.TokenPersistence;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.internal.call.TokenEndpoint;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * refreshAheadJitter: where inside [window start, blocking margin) each account's refresh-ahead begins. A one-hour
 * token with refreshAhead 5 min and expiryMargin 30 s: the window starts 55 min after issue, the margin at 59 min 30 s,
 * the jittered start falls in the first half, before 57 min 15 s.
 */
class RefreshAheadJitterTest {

    private static final Instant ISSUED = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final long EXPIRES = ISSUED.plus(LIFETIME).toEpochMilli();
    private static final long WINDOW_START = EXPIRES - Duration.ofMinutes(5).toMillis();
    private static final long MARGIN = EXPIRES - Duration.ofSeconds(30).toMillis();

    private static RefreshPolicy policy(boolean jitter) {
        return new RefreshPolicy(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1),
                                 Duration.ofMinutes(5), null, Duration.ZERO, jitter, 0);
    }

    @Test
    void accountsWithTheSameExpirySpreadOverTheWindowAndNeverLeaveIt() {
        RefreshPolicy provider = policy(true);
        Set<Long> starts = new HashSet<>();
        LongSummaryStatistics stats = new LongSummaryStatistics();
        for (int i = 0; i < 1000; i++) {
            long from = provider.forAccount("crm", "acct-" + i).refreshAheadFrom(EXPIRES, LIFETIME, ISSUED);
            assertTrue(from >= WINDOW_START, "never before the window starts: account " + i);
            assertTrue(from < MARGIN, "never at or after the blocking margin: account " + i);
            assertTrue(from < WINDOW_START + (MARGIN - WINDOW_START) / 2, "in the first half: account " + i);
            starts.add(from);
            stats.accept(from);
        }
        long half = (MARGIN - WINDOW_START) / 2;
        assertTrue(starts.size() > 900, "1000 accounts begin at " + starts.size() + " different instants");
        assertTrue(stats.getMin() < WINDOW_START + half / 10, "some begin near the window's start");
        assertTrue(stats.getMax() > WINDOW_START + half * 9 / 10, "some begin near the middle");
    }

    @Test
    void theSameAccountAndTokenAlwaysGetTheSameStartAndANewTokenAnother() {
        RefreshPolicy account = policy(true).forAccount("crm", "acme");
        long first = account.refreshAheadFrom(EXPIRES, LIFETIME, ISSUED);
        assertEquals(first, policy(true).forAccount("crm", "acme").refreshAheadFrom(EXPIRES, LIFETIME, ISSUED),
                     "deterministic: a restart computes the same start");
        assertNotEquals(first, policy(true).forAccount("other", "acme").refreshAheadFrom(EXPIRES, LIFETIME, ISSUED),
                        "the provider is part of it");
        Instant nextIssue = ISSUED.plus(LIFETIME);
        long nextExpiry = nextIssue.plus(LIFETIME).toEpochMilli();
        assertNotEquals(first - EXPIRES, account.refreshAheadFrom(nextExpiry, LIFETIME, nextIssue) - nextExpiry,
                        "the token's issue time moves it, so no account is always late in its window");
    }

    @Test
    void withoutJitterEveryAccountBeginsAtTheWindowStart() {
        RefreshPolicy provider = policy(false);
        for (int i = 0; i < 50; i++) {
            assertEquals(WINDOW_START, provider.forAccount("crm", "acct-" + i).refreshAheadFrom(EXPIRES, LIFETIME, ISSUED));
        }
    }

    @Test
    void aWindowNoWiderThanTheMarginHasNothingToSpread() {
        // refreshAhead equal to the margin: the window is empty, the start is where it always was
        RefreshPolicy narrow = new RefreshPolicy(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(1),
                                                 Duration.ofMinutes(5), null, Duration.ZERO, true, 0)
                .forAccount("crm", "acme");
        assertEquals(MARGIN, narrow.refreshAheadFrom(EXPIRES, LIFETIME, ISSUED));
    }

    @Test
    void theAccountsStatusShowsItsOwnJitteredStart() {
        MutableClock clock = new MutableClock(ISSUED);
        MemoryTokenStore store = new MemoryTokenStore();
        TokenAcquisition noTokenCalls = new TokenAcquisition(new TokenEndpoint("crm", null, null, request -> {
            throw new AssertionError("every account serves its fresh token: no token call");
        }, null, clock, TokenCallRateLimit.NONE, new EndpointBackoff(policy(true))), null);
        AccountEnvironment env = new AccountEnvironment("crm", policy(true), clock, Runnable::run, noTokenCalls,
                                                        new TokenPersistence("crm", store), new AccountObserver() {
                                                            @Override
                                                            public void onEvent(TokenEvent event) {
                                                            }

                                                            @Override
                                                            public void onTokenChanged(
                                                                    AccountTokenCache account, Token previous,
                                                                    Token current) {
                                                            }
                                                        });
        Set<Instant> starts = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String account = "acct-" + i;
            store.save("crm", account, Token.builder().accessToken("at-" + i).refreshToken("rt-" + i)
                    .tokenType("Bearer").issuedAt(ISSUED).expiresAt(ISSUED.plus(LIFETIME)).build(), 0);
            AccountTokenCache cache = new AccountTokenCache(account, env);
            assertEquals("at-" + i, cache.token().getAccessToken());
            Instant from = cache.status().refreshAheadFrom();
            assertEquals(policy(true).forAccount("crm", account).refreshAheadFrom(EXPIRES, LIFETIME, ISSUED),
                         from.toEpochMilli());
            starts.add(from);
        }
        assertTrue(starts.size() > 15, "20 accounts onboarded together begin at " + starts.size() + " instants");
    }
}
