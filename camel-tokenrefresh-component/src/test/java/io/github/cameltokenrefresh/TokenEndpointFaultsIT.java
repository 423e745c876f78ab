package io.github.cameltokenrefresh;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.FaultInjectingTokenProxy;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.ProxyFault;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
class TokenEndpointFaultsIT {

    private static final String PROVIDER = "acme";
    private static final String CLIENT_ID = "fault-client";
    private static final String CLIENT_SECRET = "CLIENT-SECRET-f4u1t-9d";
    private static final String BOOTSTRAP = "RT-BOOTSTRAP-f4u1t-7c";
    /** The access token inside faulty answers: never used, never logged. */
    private static final String FAULT_AT = "at-IN-FAULT-BODY-31f";
    private static final long RESPONSE_TIMEOUT_MS = 500;
    private static final Duration STEP = Duration.ofMillis(250);

    @TempDir
    Path storeDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private StrictTokenServer server;
    private FaultInjectingTokenProxy proxy;
    private DefaultCamelContext context;
    private ProducerTemplate template;
    private LogCapture capture;
    private final List<Object> seen = new ArrayList<>();

    @BeforeEach
    void startServers() {
        capture = new LogCapture();
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials(CLIENT_ID, CLIENT_SECRET)
                .addRefreshToken(BOOTSTRAP).rotateRefreshTokens(true).expiresIn(3600L).clock(clock);
        proxy = FaultInjectingTokenProxy.inFrontOf(server).clock(clock);
    }

    @AfterEach
    void stopAndCheckLogs() {
        try {
            if (context != null) {
                context.stop();
            }
        } finally {
            String text = capture.text();
            capture.close();
            proxy.close();
            server.close();
            assertNoSecrets(text);
        }
    }

    // ---------------------------------------------------------------- the faults

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

    // ---------------------------------------------------------------- backoff over a long outage

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

    // ---------------------------------------------------------------- the answer lost after the server rotated

    @Test
    void anAnswerLostAfterTheServerRotatedKillsTheAccountWithoutAGracePeriod() throws Exception {
        start();
        assertNullException(template.request("direct:refresh", e -> {
        }));
        byte[] recordBefore = Files.readAllBytes(recordFile());
        proxy.failNext(1, ProxyFault.forwardThenDrop()); // the server rotates; the connection dies before the answer
        TokenEndpointUnavailableException lostAnswer
                = assertInstanceOf(TokenEndpointUnavailableException.class, failure("direct:refresh"));
        assertEquals("unreachable", lostAnswer.getErrorType());
        assertEquals(2, server.successfulRefreshes(), "the server did refresh");
        assertArrayEquals(recordBefore, Files.readAllBytes(recordFile()), "nothing new arrived to be saved");

        // the stored refresh token is the rotated-away one: the same window as a crash before the save
        clock.advance(Duration.between(clock.instant(), status().nextAttemptAt()).plusMillis(1));
        InvalidGrantException dead = assertInstanceOf(InvalidGrantException.class, failure("direct:refresh"));
        assertTrue(dead.getMessage().contains("re-authorize"), dead.getMessage());
        assertEquals(TokenState.DEAD, status().state());
        seen.add(lostAnswer);
        seen.add(dead);
    }

    @Test
    void anAnswerLostAfterTheServerRotatedIsRecoveredWithinTheProvidersGracePeriod() throws Exception {
        proxy.gracePeriod(Duration.ofSeconds(30)); // the provider accepts the previous refresh token for 30 s
        start();
        assertNullException(template.request("direct:refresh", e -> {
        }));
        proxy.failNext(1, ProxyFault.forwardThenDrop());
        assertInstanceOf(TokenEndpointUnavailableException.class, failure("direct:refresh"));

        clock.advance(Duration.between(clock.instant(), status().nextAttemptAt()).plusMillis(1));
        Exchange next = template.request("direct:refresh", e -> {
        });
        assertNullException(next);
        assertEquals(1, proxy.graceUses());
        assertEquals(server.currentRefreshToken(), store().load(PROVIDER, "default").token().getRefreshToken());
        assertEquals(TokenState.FRESH, status().state());
    }

    // ---------------------------------------------------------------- bugs found

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

    // ---------------------------------------------------------------- helpers

    private void start() throws Exception {
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        TokenRefreshConfiguration config = new TokenRefreshConfiguration();
        config.setTokenUrl(proxy.tokenUrl(server));
        config.setInsecureHttp(true);
        config.setStoreDirectory(storeDir.toString());
        config.setClientId(CLIENT_ID);
        config.setClientSecret(CLIENT_SECRET);
        config.setRefreshToken(BOOTSTRAP);
        config.setResponseTimeout(RESPONSE_TIMEOUT_MS);
        config.setConnectTimeout(1000);
        context.getRegistry().bind(PROVIDER, config);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:" + PROVIDER);
        TestContexts.addRoute(context, "direct:refresh", "tokenrefresh:" + PROVIDER + "?operation=refresh");
        context.start();
        template = context.createProducerTemplate();
    }

    private String bearer() {
        Exchange exchange = template.request("direct:call", e -> {
        });
        assertNullException(exchange);
        return exchange.getMessage().getHeader("Authorization", String.class);
    }

    private Exception failure(String uri) {
        Exchange exchange = template.request(uri, e -> {
        });
        Exception e = exchange.getException();
        assertNotNull(e, "expected " + uri + " to fail");
        return e;
    }

    private static void assertNullException(Exchange exchange) {
        if (exchange.getException() != null) {
            fail("unexpected failure: " + exchange.getException(), exchange.getException());
        }
    }

    private AccountStatus status() {
        return TestContexts.component(context).provider(PROVIDER).account("default").status();
    }

    private FileTokenStore store() {
        return new FileTokenStore(storeDir);
    }

    private Path recordFile() {
        return storeDir.resolve(PROVIDER).resolve("default.json");
    }

    private List<Instant> attemptsSince(int callsBefore) {
        List<FaultInjectingTokenProxy.Call> calls = proxy.calls();
        return calls.subList(callsBefore, calls.size()).stream().map(FaultInjectingTokenProxy.Call::at).toList();
    }

    /** min(1 s * 2^(n-1), 5 min): the pause after the n-th failure in a row before jitter (the defaults). */
    private static long nominal(int failures) {
        return (long) Math.min(1000 * Math.pow(2, failures - 1), 300_000);
    }

    /** Every pause between attempts is at least half its nominal value (and Retry-After), at most all of it plus a step. */
    private static void assertBackoff(List<Instant> attempts, long retryAfterSeconds) {
        for (int k = 1; k < attempts.size(); k++) {
            long gap = Duration.between(attempts.get(k - 1), attempts.get(k)).toMillis();
            long nominal = nominal(k);
            long min = Math.max(nominal / 2, retryAfterSeconds * 1000);
            long max = Math.max(nominal, retryAfterSeconds * 1000) + Duration.ofSeconds(1).toMillis();
            assertTrue(gap >= min && gap <= max,
                       "pause after failure " + k + " was " + gap + " ms, expected " + min + ".." + max + " ms");
        }
    }

    /** The most attempts that fit into the duration with the shortest jittered pauses (one at the start). */
    private static int maxAttempts(Duration within, long retryAfterSeconds) {
        long left = within.toMillis();
        int attempts = 1;
        for (int k = 1;; k++) {
            long pause = Math.max(nominal(k) / 2, retryAfterSeconds * 1000);
            if (pause > left) {
                return attempts;
            }
            left -= pause;
            attempts++;
        }
    }

    private void assertNoSecrets(String logText) {
        List<String> secrets = new ArrayList<>(List.of(CLIENT_SECRET, BOOTSTRAP, FAULT_AT, "at-endless"));
        secrets.addAll(server.issuedAccessTokens());
        secrets.addAll(server.issuedRefreshTokens());
        secrets.add(Base64.getEncoder().encodeToString(
                (URLEncoder.encode(CLIENT_ID, StandardCharsets.UTF_8) + ":"
                 + URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        StringBuilder views = new StringBuilder();
        for (Object o : seen) {
            views.append(o).append('\n');
            if (o instanceof Throwable t) {
                for (Throwable c = t; c != null; c = c.getCause()) {
                    views.append(c.getMessage()).append('\n');
                }
            }
        }
        if (context != null) {
            assertTrue(logText.contains("TRACE") && logText.contains("org.apache.hc.client5"),
                       "the capture ran at TRACE, HttpClient included");
        }
        for (String secret : secrets) {
            assertFalse(logText.contains(secret), "a secret reached the log: " + secret.substring(0, 6) + "...");
            assertFalse(views.toString().contains(secret),
                        "a secret reached an exception or status: " + secret.substring(0, 6) + "...");
        }
    }
}
