package io.github.cameltokenrefresh;

import java.time.Duration;

import io.github.cameltokenrefresh.testing.ProxyFault;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers that once broke the component: an endless or trickling body, an absurd Retry-After or expires_in, a rotated
 * refresh token inside an unusable answer.
 */
class TokenEndpointHostileAnswerIT extends TokenEndpointFaultsFixture {

    @Test
    void anEndlessBodyIsCutOffAtTheCap() throws Exception {
        start();
        proxy.failAlways(ProxyFault.endlessBody(Duration.ofMillis(20), Duration.ofSeconds(8)));
        long t = System.nanoTime();
        Exception e = failure("direct:refresh");
        long millis = (System.nanoTime() - t) / 1_000_000;
        assertInstanceOf(TokenRefreshException.class, e);
        assertTrue(millis < 3_000, "the refresh gave up after " + millis + " ms");
        assertTrue(proxy.faultBodyBytesSent() < 8L * 1024 * 1024,
                   "the client read " + proxy.faultBodyBytesSent() + " bytes of an endless body");
    }

    @Test
    void aTricklingAnswerDoesNotHoldTheRefreshPastTheTimeout() throws Exception {
        start();
        proxy.failAlways(ProxyFault.trickle(Duration.ofMillis(100), Duration.ofSeconds(8), FAULT_AT));
        long t = System.nanoTime();
        Exception e = failure("direct:refresh");
        long millis = (System.nanoTime() - t) / 1_000_000;
        assertInstanceOf(TokenEndpointUnavailableException.class, e);
        assertTrue(millis < 4 * RESPONSE_TIMEOUT_MS, "the token call took " + millis + " ms");
    }

    @Test
    void anAbsurdRetryAfterStillBacksOff() throws Exception {
        start();
        assertNullException(template.request("direct:refresh", e -> {
        }));
        int callsBefore = proxy.callCount();
        proxy.failAlways(ProxyFault.retryAfterRaw(503, "100000000000000000"));
        clock.advance(Duration.ofMinutes(61));
        for (int i = 0; i < 20; i++) {
            Exception e = failure("direct:call");
            assertInstanceOf(TokenRefreshException.class, e, "typed, not " + e);
        }
        assertEquals(callsBefore + 1, proxy.callCount(), "one token call, then backing off");
        assertEquals(TokenState.FAILING, status().state());
    }

    @Test
    void anAbsurdExpiresInIsAnInvalidResponseAndBacksOff() throws Exception {
        start();
        assertNullException(template.request("direct:refresh", e -> {
        }));
        int callsBefore = proxy.callCount();
        proxy.failAlways(ProxyFault.expiresIn("9223372036854775807", FAULT_AT));
        clock.advance(Duration.ofMinutes(61));
        for (int i = 0; i < 20; i++) {
            Exception e = failure("direct:call");
            assertTrue(e instanceof InvalidTokenResponseException
                       || e instanceof RefreshBackoffException b && b.getCause() instanceof InvalidTokenResponseException,
                       "typed, not " + e);
        }
        assertEquals(callsBefore + 1, proxy.callCount(), "one token call, then backing off");
    }

    @Test
    void aRotatedRefreshTokenInAnUnusableAnswerIsNotLost() throws Exception {
        start();
        assertNullException(template.request("direct:refresh", e -> {
        }));
        proxy.failNext(1, ProxyFault.forwardThenMutate("expires_in 0 after rotation", json -> json.put("expires_in", 0)));
        Exception e = failure("direct:refresh");
        assertInstanceOf(InvalidTokenResponseException.class, e);
        assertEquals(2, server.successfulRefreshes(), "the server did refresh, and rotated");

        clock.advance(Duration.between(clock.instant(), status().nextAttemptAt()).plusMillis(1));
        Exchange next = template.request("direct:refresh", x -> {
        });
        assertFalse(next.getException() instanceof InvalidGrantException,
                    "the rotated refresh token was lost: " + next.getException());
        assertNullException(next);
        assertEquals(server.currentRefreshToken(), store().load(PROVIDER, "default").token().getRefreshToken());
    }
}
