package io.github.cameltokenrefresh.internal.call;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.wire.AuthorizationCodeGrant;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.ClientCredentialsGrant;
import io.github.cameltokenrefresh.internal.wire.PasswordGrant;
import io.github.cameltokenrefresh.internal.wire.RefreshTokenGrant;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenGrant;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one way to the token endpoint, against a scripted endpoint and a clock moved by hand: every grant takes a
 * rate-limit permit and passes the provider-wide pause, and each kind of answer is classified as documented.
 */
class TokenEndpointTest {

    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final String TOKEN_URL = "https://auth.example/oauth/token";
    private static final String ACCOUNT = "acme";

    private final MutableClock clock = new MutableClock(START);
    private final Script script = new Script();
    private final EndpointBackoff backoff = new EndpointBackoff(new RefreshPolicy(Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofMinutes(5)));

    /** One permit a second, so a second call right after the first finds none. */
    private TokenEndpoint endpoint(String tokenUrl) {
        TokenRequestDialect dialect = new TokenRequestDialect(URI.create(tokenUrl), BodyEncoding.form, "refresh_token",
                "grant_type", "refresh_token", GrantTypeLocation.body, ClientAuthentication.basic, Map.of(), Map.of());
        return new TokenEndpoint("crm", dialect, ClientAuthenticator.of(ClientAuthentication.basic,
                new ClientCredentials("client-1", "secret-1", null)), script, Duration.ofHours(1), clock,
                new TokenCallRateLimit("crm", 1, clock), backoff);
    }

    @Test
    void everyGrantTakesAPermitAndWaitsOutTheProviderWidePause() {
        Map<String, TokenGrant> grants = new LinkedHashMap<>();
        grants.put("refresh_token", RefreshTokenGrant.stored("rt-stored"));
        grants.put("refresh_token ", RefreshTokenGrant.configured("rt-configured"));
        grants.put("password", new PasswordGrant("password", "user", "pw-1"));
        grants.put("client_credentials", new ClientCredentialsGrant());
        grants.put("authorization_code", new AuthorizationCodeGrant("code-1", "https://app.example/cb", "v-1", null));
        for (Map.Entry<String, TokenGrant> grant : grants.entrySet()) {
            TokenEndpoint endpoint = endpoint(TOKEN_URL);
            backoff.failed(new TokenEndpointUnavailableException("crm", "other", 503, null, null, null),
                           clock.instant().plusSeconds(20));
            int before = script.requests.size();

            CallRecord paused = new CallRecord();
            assertThrows(RefreshBackoffException.class,
                         () -> endpoint.call(ACCOUNT, grant.getValue(), true, false, paused), grant.getKey());
            assertFalse(paused.sent(), grant.getKey() + ": nothing is sent while the endpoint is paused");

            clock.advance(Duration.ofSeconds(20));
            script.answer(200, "application/json", "{\"access_token\":\"at\",\"expires_in\":3600}");
            CallRecord sent = new CallRecord();
            endpoint.call(ACCOUNT, grant.getValue(), false, false, sent);
            assertTrue(sent.sent());
            assertEquals(before + 1, script.requests.size());
            assertEquals(grant.getKey().trim(), script.last().get("grant_type"));
            assertNull(backoff.pausedUntil(clock.millis()), "a token ends the pause");
            RefreshBackoffException limited = assertThrows(RefreshBackoffException.class,
                         () -> endpoint.call(ACCOUNT, grant.getValue(), false, false, new CallRecord()),
                         grant.getKey() + ": the call took this second's permit");
            assertEquals("rate_limited", limited.getErrorType());
            assertEquals(before + 1, script.requests.size());
        }
    }

    @Test
    void theCallersLastCheckRunsAfterPermitAndPauseAndARefusalSendsNothingAndFreesTheProbe() {
        backoff.failed(new TokenEndpointUnavailableException("crm", "other", 503, null, null, null), START);
        TokenEndpoint endpoint = endpoint(TOKEN_URL);
        CallRecord refused = new CallRecord();
        IllegalStateException lost = new IllegalStateException("lease lost");
        assertSame(lost, assertThrows(IllegalStateException.class, () -> endpoint.call(ACCOUNT,
                RefreshTokenGrant.stored("rt-1"), false, true, refused, () -> {
                    assertEquals("rate_limited", assertThrows(RefreshBackoffException.class, () -> endpoint
                            .call("other", new ClientCredentialsGrant(), false, true, new CallRecord()))
                            .getErrorType(), "the permit of this second was taken before the check");
                    throw lost;
                })));
        assertFalse(refused.sent());
        assertTrue(script.requests.isEmpty());

        // the refused call was the probe after the pause: the next call goes at once, not after the probe's timeout
        clock.advance(Duration.ofSeconds(1));
        script.answer(200, "application/json", "{\"access_token\":\"at-1\",\"expires_in\":3600}");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> endpoint.call(ACCOUNT,
                RefreshTokenGrant.stored("rt-1"), false, true, new CallRecord()));
        assertEquals(1, script.requests.size());
    }

    @Test
    void aTokenIsIssuedAsOfWhenTheRequestLeftAndKeepsTheRefreshTokenSent() {
        script.answer(200, "application/json", "{\"access_token\":\"at-1\",\"expires_in\":3600}");
        CallRecord record = new CallRecord();
        Token token = endpoint(TOKEN_URL).call(ACCOUNT, RefreshTokenGrant.stored("rt-1"), false, false, record);
        assertEquals("rt-1", token.getRefreshToken());
        assertEquals(START, token.getRefreshTokenIssuedAt());
        assertEquals(START.plusSeconds(3600), token.getExpiresAt());
        assertEquals(Duration.ZERO, record.took());
    }

    @Test
    void aTroubleAnswerToACallerWithoutABackoffPausesEveryCallAtOnce() {
        script.answer(503, "application/json", "{\"error\":\"temporarily_unavailable\"}", "20");
        TokenEndpoint endpoint = endpoint(TOKEN_URL);
        assertThrows(TokenEndpointUnavailableException.class,
                () -> endpoint.call(ACCOUNT, new AuthorizationCodeGrant("code-1", "https://app.example/cb", null, null),
                                    true, false, new CallRecord()));
        assertEquals(START.plusSeconds(20), backoff.pausedUntil(clock.millis()), "Retry-After, for every call");
    }

    @Test
    void anAccountsTroubleAnswerIsLeftToTheAccountsOwnBackoff() {
        script.answer(503, "application/json", "{\"error\":\"temporarily_unavailable\"}", "20");
        TokenEndpoint endpoint = endpoint(TOKEN_URL);
        TokenEndpointUnavailableException trouble = assertThrows(TokenEndpointUnavailableException.class,
                () -> endpoint.call(ACCOUNT, RefreshTokenGrant.stored("rt-1"), false, true, new CallRecord()));
        assertNull(backoff.pausedUntil(clock.millis()), "the account pauses the endpoint until its next attempt");
        assertEquals(START.plusSeconds(25), backoff.failed(trouble, START.plusSeconds(25)).until());
    }

    @Test
    void anUnreachableEndpointPausesEveryCall() {
        script.fail(new IOException("Connection refused"));
        CallRecord record = new CallRecord();
        TokenEndpointUnavailableException e = assertThrows(TokenEndpointUnavailableException.class,
                () -> endpoint(TOKEN_URL).call(ACCOUNT, new ClientCredentialsGrant(), false, false, record));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertTrue(record.sent());
        assertTrue(backoff.pausedUntil(clock.millis()).isAfter(START));
    }

    @Test
    void invalidGrantIsTheGrantsFaultNotTheEndpoints() {
        backoff.failed(new TokenEndpointUnavailableException("crm", "other", 503, null, null, null), START);
        script.answer(400, "application/json", "{\"error\":\"invalid_grant\"}");
        assertThrows(InvalidGrantException.class,
                     () -> endpoint(TOKEN_URL).call(ACCOUNT, RefreshTokenGrant.stored("rt-1"), false, false,
                                                    new CallRecord()));
        EndpointBackoff.Pause next = backoff.failed(new TokenEndpointUnavailableException("crm", "other", 503, null,
                null, null), START.plusSeconds(5));
        assertEquals(1, next.failures(), "the endpoint answered: the failures in a row started again");
    }

    @Test
    void anUnusableAnswerThatRotatedKeepsTheNewRefreshToken() {
        script.answer(200, "application/json", "{\"refresh_token\":\"rt-2\"}");
        CallRecord record = new CallRecord();
        assertThrows(InvalidTokenResponseException.class,
                     () -> endpoint(TOKEN_URL).call(ACCOUNT, RefreshTokenGrant.stored("rt-1"), false, false, record));
        assertEquals("rt-2", record.rescuedRefreshToken());
    }

    @Test
    void a404NamesTheOptionTokenUrlAndTheUrlWithoutItsQuery() {
        script.answer(404, "text/html", "<html>Not Found</html>");
        InvalidTokenResponseException e = assertThrows(InvalidTokenResponseException.class,
                () -> endpoint(TOKEN_URL + "?api_key=k-secret-1").call(ACCOUNT, RefreshTokenGrant.stored("rt-secret-1"),
                                                                    false, false, new CallRecord()));
        assertTrue(e.getMessage().contains("tokenUrl"), e.getMessage());
        assertTrue(e.getMessage().contains(TOKEN_URL + " (404"), e.getMessage());
        assertFalse(e.getMessage().contains("k-secret-1"), e.getMessage());
        assertFalse(e.getMessage().contains("rt-secret-1"), e.getMessage());
        assertEquals(404, e.getStatusCode());
    }

    @Test
    void a404WithAnOAuthErrorIsTheServersWord() {
        script.answer(404, "application/json", "{\"error\":\"invalid_grant\"}");
        assertThrows(InvalidGrantException.class,
                     () -> endpoint(TOKEN_URL).call(ACCOUNT, RefreshTokenGrant.stored("rt-1"), false, false,
                                                    new CallRecord()));
    }

    /** Answers in order and keeps each request's form parameters. */
    private static final class Script implements TokenClient {
        private final Deque<Object> answers = new ArrayDeque<>();
        final List<Map<String, String>> requests = new ArrayList<>();

        void answer(int status, String contentType, String body) {
            answer(status, contentType, body, null);
        }

        void answer(int status, String contentType, String body, String retryAfter) {
            answers.add(new TokenResponse(status, contentType, retryAfter, null,
                                          body.getBytes(StandardCharsets.UTF_8)));
        }

        void fail(IOException e) {
            answers.add(e);
        }

        Map<String, String> last() {
            return requests.get(requests.size() - 1);
        }

        @Override
        public TokenResponse send(TokenRequest request) throws IOException {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : new String(request.body(), StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                         URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            requests.add(form);
            Object answer = answers.poll();
            if (answer instanceof IOException e) {
                throw e;
            }
            if (answer == null) {
                throw new AssertionError("unscripted token call");
            }
            return (TokenResponse) answer;
        }
    }
}
