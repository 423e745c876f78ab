package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.testing.ProxyFault;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long outage of the token endpoint: a bounded, capped and jittered backoff, and in the refresh-ahead window
 * callers served the still-valid token without waiting for the failing endpoint.
 */
class TokenEndpointOutageIT extends TokenEndpointFaultsFixture {

    @Test
    void anHourLongOutageCostsAFewDozenCallsAndTheBackoffIsCappedAtFiveMinutes() throws Exception {
        start();
        assertNullException(template.request("direct:refresh", e -> {
        }));
        int callsBefore = proxy.callCount();
        proxy.failAlways(ProxyFault.closeMidResponse(FAULT_AT));
        clock.advance(Duration.ofMinutes(61)); // expired: every caller needs a refresh

        int exchanges = 0;
        Instant end = clock.instant().plus(Duration.ofHours(1));
        while (clock.instant().isBefore(end)) {
            for (int i = 0; i < 2; i++) {
                Exception e = failure("direct:call");
                assertTrue(e instanceof RefreshBackoffException || e instanceof TokenEndpointUnavailableException,
                           e.toString());
                exchanges++;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        List<Instant> attempts = attemptsSince(callsBefore);
        assertBackoff(attempts, 0);
        System.out.printf("an hour-long outage (connection closed mid-response): %d token calls for %d exchanges%n",
                          attempts.size(), exchanges);
        // at least 1+2+...+256 s before the pause reaches its cap, then one attempt every 2.5 to 5 minutes
        assertTrue(attempts.size() >= 18 && attempts.size() <= maxAttempts(Duration.ofHours(1), 0),
                   attempts.size() + " token calls for " + exchanges + " exchanges in an hour");
        for (int k = 11; k < attempts.size(); k++) {
            long gap = Duration.between(attempts.get(k - 1), attempts.get(k)).toMillis();
            assertTrue(gap >= 150_000 && gap <= 301_000, "capped pause " + gap + " ms");
        }
        proxy.heal();
        clock.advance(Duration.between(clock.instant(), status().nextAttemptAt()).plusMillis(1));
        String renewed = bearer();
        assertEquals("Bearer " + server.issuedAccessTokens().get(1), renewed);
    }

    @Test
    void backoffIsJitteredBetweenHalfAndAllOfTheExponentialPause() {
        RefreshPolicy policy = new RefreshPolicy(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1),
                                                 Duration.ofMinutes(5));
        for (int failures = 1; failures <= 12; failures++) {
            long nominal = nominal(failures);
            Set<Long> distinct = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                long pause = policy.backoffMillis(failures, null);
                assertTrue(pause >= nominal / 2 && pause <= nominal, failures + ": " + pause);
                distinct.add(pause);
                assertEquals(600_000, policy.backoffMillis(failures, Duration.ofMinutes(10)),
                             "a Retry-After beyond the jittered pause (and beyond the cap) is what counts");
            }
            assertTrue(distinct.size() > 100, "jittered: " + distinct.size() + " distinct pauses of 500");
        }
    }

    @Test
    void inTheRefreshAheadWindowCallersNeverWaitForAFailingEndpoint() throws Exception {
        start();
        Exchange first = template.request("direct:refresh", e -> {
        });
        String valid = first.getMessage().getHeader("Authorization", String.class);
        int callsBefore = proxy.callCount();
        proxy.failAlways(ProxyFault.hang(Duration.ofSeconds(10)));
        clock.advance(Duration.ofMinutes(56)); // 4 min left: background refreshes only

        for (int i = 0; i < 200; i++) {
            long t = System.nanoTime();
            assertEquals(valid, bearer());
            assertTrue((System.nanoTime() - t) / 1_000_000 < RESPONSE_TIMEOUT_MS / 2, "callers did not wait");
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> status().lastErrorType() != null);
        assertEquals("unreachable", status().lastErrorType());
        assertEquals(callsBefore + 1, proxy.callCount(), "one background attempt, then backing off");
    }
}
