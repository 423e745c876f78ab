package io.github.cameltokenrefresh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.testing.FaultInjectingTokenProxy;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.ProxyFault;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.Exchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault a token endpoint (or what sits in front of it) can produce, injected at the socket level by
 * {@link FaultInjectingTokenProxy} in front of a rotating {@link StrictTokenServer}. For each fault:
 * <ul>
 * <li>the typed error, and its error type in the status;</li>
 * <li>a bounded number of token calls across hundreds of exchanges: exponential backoff with jitter, Retry-After
 * honoured; time is a {@link MutableClock} the test steps, so nothing sleeps;</li>
 * <li>the still-valid access token is served, even inside the expiry margin, until it truly expires — and only then do
 * callers get errors;</li>
 * <li>the stored record (refresh token included) is byte for byte what it was;</li>
 * <li>once the fault clears, the next attempt after the backoff succeeds, in the same context;</li>
 * <li>everything logged at TRACE contains no token and no secret, not even the tokens inside the faulty answers.</li>
 * </ul>
 */
class TokenEndpointFaultsIT extends TokenEndpointFaultsFixture {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(ProxyFault.serverError(500), TokenEndpointUnavailableException.class, "http_500", 0),
                Arguments.of(ProxyFault.serverError(502), TokenEndpointUnavailableException.class, "http_502", 0),
                Arguments.of(ProxyFault.serverError(503), TokenEndpointUnavailableException.class, "http_503", 0),
                Arguments.of(ProxyFault.status(504, "application/json", "{\"error\":\"server_error\"}"),
                             TokenEndpointUnavailableException.class, "http_504", 0),
                Arguments.of(ProxyFault.retryAfterSeconds(429, 120), TokenEndpointUnavailableException.class, "http_429", 120),
                Arguments.of(ProxyFault.retryAfterSeconds(503, 7), TokenEndpointUnavailableException.class, "http_503", 7),
                Arguments.of(ProxyFault.retryAfterDate(503, Duration.ofSeconds(90)), TokenEndpointUnavailableException.class,
                             "http_503", 90),
                Arguments.of(ProxyFault.hang(Duration.ofSeconds(10)), TokenEndpointUnavailableException.class, "unreachable", 0),
                Arguments.of(ProxyFault.closeBeforeResponse(), TokenEndpointUnavailableException.class, "unreachable", 0),
                Arguments.of(ProxyFault.resetBeforeResponse(), TokenEndpointUnavailableException.class, "unreachable", 0),
                Arguments.of(ProxyFault.closeMidResponse(FAULT_AT), TokenEndpointUnavailableException.class, "unreachable", 0),
                Arguments.of(ProxyFault.resetMidResponse(FAULT_AT), TokenEndpointUnavailableException.class, "unreachable", 0),
                Arguments.of(ProxyFault.closeMidBodyWithoutLength(FAULT_AT), InvalidTokenResponseException.class,
                             "invalid_response", 0),
                Arguments.of(ProxyFault.html(200), InvalidTokenResponseException.class, "invalid_response", 0),
                Arguments.of(ProxyFault.html(502), TokenEndpointUnavailableException.class, "http_502", 0),
                Arguments.of(ProxyFault.truncatedJson(FAULT_AT), InvalidTokenResponseException.class, "invalid_response", 0),
                Arguments.of(ProxyFault.status(200, "application/json", ""), InvalidTokenResponseException.class,
                             "invalid_response", 0),
                Arguments.of(ProxyFault.withoutAccessToken(), InvalidTokenResponseException.class, "invalid_response", 0),
                Arguments.of(ProxyFault.expiresIn("0", FAULT_AT), InvalidTokenResponseException.class, "invalid_response", 0),
                Arguments.of(ProxyFault.expiresIn("-3600", FAULT_AT), InvalidTokenResponseException.class, "invalid_response", 0),
                Arguments.of(ProxyFault.expiresIn("\"soon\"", FAULT_AT), InvalidTokenResponseException.class,
                             "invalid_response", 0),
                // over the 1 MiB cap: the client refuses it as an I/O failure (no usable HTTP answer)
                Arguments.of(ProxyFault.hugeBody(2 * 1024 * 1024, FAULT_AT), TokenEndpointUnavailableException.class,
                             "unreachable", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void faultIsTypedBoundedHarmlessAndRecoverable(ProxyFault fault, Class<? extends TokenRefreshException> type,
                                                   String errorType, long retryAfterSeconds) throws Exception {
        start();
        Exchange first = template.request("direct:refresh", e -> {
        });
        assertNullException(first);
        String valid = first.getMessage().getHeader("Authorization", String.class);
        Instant expiresAt = first.getMessage().getHeader(TokenRefreshConstants.EXPIRES_AT, Instant.class);
        assertEquals(clock.instant().plusSeconds(3600), expiresAt);
        Path record = recordFile();
        byte[] recordBefore = Files.readAllBytes(record);
        StoredToken storedBefore = store().load(PROVIDER, "default");
        assertEquals(server.currentRefreshToken(), storedBefore.token().getRefreshToken());
        int callsBefore = proxy.callCount();

        proxy.failAlways(fault);

        // 1. 20 s left, inside the 30 s expiry margin: the caller waits for a refresh, which fails with the fault;
        //    the token has not truly expired, so the caller still gets it
        clock.advance(Duration.between(clock.instant(), expiresAt.minusSeconds(20)));
        Instant firstFailureAt = clock.instant();
        long started = System.nanoTime();
        assertEquals(valid, bearer());
        long firstCallMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(callsBefore + 1, proxy.callCount(), "one token call");
        assertTrue(firstCallMillis < 5_000, "the failed call is bounded: " + firstCallMillis + " ms");

        // the typed error: the refresh operation fails fast while backing off, with the fault as its cause
        RefreshBackoffException backoff = assertInstanceOf(RefreshBackoffException.class, failure("direct:refresh"));
        TokenRefreshException cause = assertInstanceOf(type, backoff.getCause());
        assertEquals(errorType, cause.getErrorType());
        assertTrue(cause.isRetriable(), "every fault here is retriable");
        assertTrue(cause.getMessage().startsWith("tokenrefresh:" + PROVIDER + " account 'default': "), cause.getMessage());
        assertEquals(errorType, backoff.getErrorType());
        AccountStatus status = status();
        assertEquals(TokenState.FAILING, status.state());
        assertEquals(errorType, status.lastErrorType());
        assertEquals(callsBefore + 1, proxy.callCount(), "the refresh operation made no call while backing off");
        if (retryAfterSeconds > 0) {
            assertEquals(Duration.ofSeconds(retryAfterSeconds),
                         ((TokenEndpointUnavailableException) cause).getRetryAfter());
            assertTrue(!status.nextAttemptAt().isBefore(firstFailureAt.plusSeconds(retryAfterSeconds)),
                       "Retry-After honoured: next attempt " + status.nextAttemptAt());
        }

        // 2. many callers, every 250 ms, until the token truly expires: all get the still-valid token, and the token
        //    endpoint sees one attempt per backoff pause
        int exchanges = 0;
        while (clock.instant().isBefore(expiresAt)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(valid, bearer(), "a still-valid token is served until it truly expires");
                exchanges++;
            }
            assertTrue(server.isAccessTokenValid(valid.substring("Bearer ".length())), "the server agrees it is valid");
            clock.advance(STEP);
        }
        assertFalse(server.isAccessTokenValid(valid.substring("Bearer ".length())));
        List<Instant> attempts = attemptsSince(callsBefore);
        assertBackoff(attempts, retryAfterSeconds);
        assertTrue(attempts.size() <= maxAttempts(Duration.ofSeconds(20), retryAfterSeconds),
                   attempts.size() + " token calls for " + exchanges + " exchanges in 20 s");

        // 3. expired, still failing: callers get the typed error when an attempt is due, RefreshBackoffException at
        //    once otherwise, and never the expired token
        Instant until = clock.instant().plusSeconds(40);
        int typed = 0;
        int fastFailures = 0;
        while (clock.instant().isBefore(until)) {
            for (int i = 0; i < 3; i++) {
                int callsNow = proxy.callCount();
                Exception e = failure("direct:call");
                if (e instanceof RefreshBackoffException b) {
                    assertInstanceOf(type, b.getCause());
                    assertEquals(callsNow, proxy.callCount(), "no token call while backing off");
                    fastFailures++;
                } else {
                    assertInstanceOf(type, e, "the caller of a failed attempt gets its typed error");
                    assertEquals(callsNow + 1, proxy.callCount());
                    typed++;
                }
                seen.add(e);
            }
            clock.advance(STEP);
        }
        assertTrue(fastFailures > 0);
        attempts = attemptsSince(callsBefore);
        assertBackoff(attempts, retryAfterSeconds);
        assertTrue(attempts.size() <= maxAttempts(Duration.ofSeconds(60), retryAfterSeconds),
                   attempts.size() + " token calls in 60 s");
        if (retryAfterSeconds >= 60) {
            assertEquals(0, typed, "Retry-After " + retryAfterSeconds + "s: no attempt in the first minute");
        }

        // the stored record, refresh token included, is exactly what it was; the server never saw the faulty calls
        assertArrayEquals(recordBefore, Files.readAllBytes(record), "the stored record is untouched");
        assertEquals(1, server.successfulRefreshes());
        assertEquals(storedBefore.token().getRefreshToken(), server.currentRefreshToken());
        assertEquals(1, proxy.forwardedCount(), "faults are answered by the proxy; the server saw only the first call");

        // 4. the fault clears: after the backoff the next caller refreshes, in the same context, no restart
        proxy.heal();
        clock.advance(Duration.between(clock.instant(), status().nextAttemptAt()).plusMillis(1));
        String renewed = bearer();
        assertNotEquals(valid, renewed);
        assertEquals("Bearer " + server.issuedAccessTokens().get(1), renewed);
        assertEquals(TokenState.FRESH, status().state());
        StoredToken storedAfter = store().load(PROVIDER, "default");
        assertEquals(storedBefore.version() + 1, storedAfter.version());
        assertEquals(server.currentRefreshToken(), storedAfter.token().getRefreshToken(),
                     "the rotated refresh token is saved");
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
        assertTrue(capture.text().contains(cause.getMessage() + " (attempt 1, next attempt not before"),
                   "the failure was logged (and the log is checked for secrets after the test)");
        seen.add(backoff);
        seen.add(status);
        seen.add(status());
    }
}
