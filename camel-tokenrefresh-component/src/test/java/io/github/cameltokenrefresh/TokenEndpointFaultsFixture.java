package io.github.cameltokenrefresh;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.FaultInjectingTokenProxy;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fixture of the token endpoint fault tests ({@link TokenEndpointFaultsIT} and its siblings): a rotating
 * {@link StrictTokenServer} behind a {@link FaultInjectingTokenProxy} that injects faults at the socket level, a
 * context whose time is a {@link MutableClock} the test steps, and after each test the check that nothing logged at
 * TRACE, no exception and no status the test {@link #seen saw} contains a token or a secret, not even the tokens
 * inside the faulty answers.
 */
abstract class TokenEndpointFaultsFixture {

    static final String PROVIDER = "acme";
    static final String CLIENT_ID = "fault-client";
    static final String CLIENT_SECRET = "CLIENT-SECRET-f4u1t-9d";
    static final String BOOTSTRAP = "RT-BOOTSTRAP-f4u1t-7c";
    /** The access token inside faulty answers: never used, never logged. */
    static final String FAULT_AT = "at-IN-FAULT-BODY-31f";
    static final long RESPONSE_TIMEOUT_MS = 500;
    static final Duration STEP = Duration.ofMillis(250);

    @TempDir
    Path storeDir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    StrictTokenServer server;
    FaultInjectingTokenProxy proxy;
    DefaultCamelContext context;
    ProducerTemplate template;
    LogCapture capture;
    /** What the test saw (exceptions, statuses): checked for secrets after it. */
    final List<Object> seen = new ArrayList<>();

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

    void start() throws Exception {
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

    String bearer() {
        Exchange exchange = template.request("direct:call", e -> {
        });
        assertNullException(exchange);
        return exchange.getMessage().getHeader("Authorization", String.class);
    }

    Exception failure(String uri) {
        Exchange exchange = template.request(uri, e -> {
        });
        Exception e = exchange.getException();
        assertNotNull(e, "expected " + uri + " to fail");
        return e;
    }

    static void assertNullException(Exchange exchange) {
        if (exchange.getException() != null) {
            fail("unexpected failure: " + exchange.getException(), exchange.getException());
        }
    }

    AccountStatus status() {
        return TestContexts.component(context).provider(PROVIDER).account("default").status();
    }

    FileTokenStore store() {
        return new FileTokenStore(storeDir);
    }

    Path recordFile() {
        return storeDir.resolve(PROVIDER).resolve("default.json");
    }

    List<Instant> attemptsSince(int callsBefore) {
        List<FaultInjectingTokenProxy.Call> calls = proxy.calls();
        return calls.subList(callsBefore, calls.size()).stream().map(FaultInjectingTokenProxy.Call::at).toList();
    }

    /** min(1 s * 2^(n-1), 5 min): the pause after the n-th failure in a row before jitter (the defaults). */
    static long nominal(int failures) {
        return (long) Math.min(1000 * Math.pow(2, failures - 1), 300_000);
    }

    /** Every pause between attempts is at least half its nominal value (and Retry-After), at most all of it plus a step. */
    static void assertBackoff(List<Instant> attempts, long retryAfterSeconds) {
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
    static int maxAttempts(Duration within, long retryAfterSeconds) {
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
