package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.RefreshTokenMissingException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenErrorResponseException;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiry, refresh-ahead, rotation and the documented error bodies, with a clock the test moves. */
class TokenLifecycleIT extends TokenServerTestSupport {

    private final MutableClock clock = new MutableClock(Instant.now());
    private ProducerTemplate template;

    private void startPartner(String extraOptions) throws Exception {
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        String base = "tokenrefresh:partner?tokenUrl=" + server.tokenUrl()
                      + "&encoding=json&refreshTokenField=refreshToken&grantTypeLocation=header&grantTypeField=grantType"
                      + "&clientAuthentication=none&header.partnerId=4711&refreshToken=rt-0";
        TestContexts.addRoute(context, "direct:call", base + extraOptions);
        TestContexts.addRoute(context, "direct:refresh", base + "&operation=refresh" + extraOptions);
        TestContexts.addRoute(context, "direct:invalidate", base + "&operation=invalidate" + extraOptions);
        context.start();
        template = context.createProducerTemplate();
    }

    private String bearer() {
        return template.request("direct:call", e -> {
        }).getMessage().getHeader("Authorization", String.class);
    }

    private Exception failure(String uri) {
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.requestBody(uri, ""));
        return (Exception) e.getCause();
    }

    private AccountStatus status() {
        return TestContexts.component(context).provider("partner").account("default").status();
    }

    @Test
    void freshTokenIsReusedAndExpiredTokenIsRefreshed() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").expiresIn(3600L);
        startPartner("");

        String first = bearer();
        assertEquals(first, bearer());
        assertEquals(1, server.tokenCalls());

        clock.advance(Duration.ofMinutes(59).plusSeconds(31)); // 29 s left: inside the 30 s expiry margin
        String second = bearer();
        assertNotEquals(first, second);
        assertEquals("Bearer " + server.issuedAccessTokens().get(1), second);
        assertEquals(2, server.tokenCalls());
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
    }

    @Test
    void insideRefreshAheadWindowCallersGetTheValidTokenWhileOneBackgroundRefreshRuns() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").expiresIn(3600L)
                .responseDelay(Duration.ofMillis(300));
        startPartner("");
        String first = bearer();

        clock.advance(Duration.ofMinutes(56)); // 4 min left: inside the 5 min refresh-ahead window
        for (int i = 0; i < 20; i++) {
            assertEquals(first, bearer(), "callers are not made to wait for the background refresh");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.successfulRefreshes() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !bearer().equals(first));
        assertEquals(2, server.tokenCalls(), "one background refresh for all callers in the window");
    }

    @Test
    void rotatedRefreshTokenIsSavedBeforeUseAndUsedNext() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").rotateRefreshTokens(true);
        startPartner("");

        template.requestBody("direct:refresh", "");
        String rotated = server.currentRefreshToken();
        assertNotEquals("rt-0", rotated);
        StoredToken stored = new FileTokenStore(storeDir).load("partner", "default");
        assertEquals(rotated, stored.token().getRefreshToken());

        template.requestBody("direct:refresh", "");
        assertEquals(2, server.successfulRefreshes(), "the second refresh used the rotated token: the old one is dead");
        assertEquals(server.currentRefreshToken(), new FileTokenStore(storeDir).load("partner", "default")
                .token().getRefreshToken());
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
    }

    @Test
    void answerWithoutRefreshTokenKeepsTheOldOne() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").rotateRefreshTokens(false)
                .omitRefreshTokenInResponse(true);
        startPartner("");

        template.requestBody("direct:refresh", "");
        template.requestBody("direct:refresh", "");
        assertEquals(2, server.successfulRefreshes());
        assertEquals("rt-0", new FileTokenStore(storeDir).load("partner", "default").token().getRefreshToken());
    }

    @Test
    void answerWithoutLifetimeUsesDefaultExpiresIn() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").expiresIn(null);
        startPartner("&defaultExpiresIn=10m");

        Instant expiresAt = template.request("direct:refresh", e -> {
        }).getMessage().getHeader(TokenRefreshConstants.EXPIRES_AT, Instant.class);
        assertEquals(clock.instant().plus(Duration.ofMinutes(10)), expiresAt);
    }

    @Test
    void invalidGrantIsTerminalAndMakesNoFurtherCalls() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-other");
        startPartner("");

        InvalidGrantException first = assertInstanceOf(InvalidGrantException.class, failure("direct:call"));
        assertEquals(StrictTokenServer.PARTNER_INVALID_GRANT, first.getErrorDescription());
        assertTrue(first.getMessage().contains("re-authorize"), first.getMessage());
        assertEquals(1, server.tokenCalls());

        for (int i = 0; i < 50; i++) {
            assertInstanceOf(InvalidGrantException.class, failure("direct:call"));
        }
        clock.advance(Duration.ofHours(1));
        assertInstanceOf(InvalidGrantException.class, failure("direct:refresh"));
        assertEquals(1, server.tokenCalls(), "no token calls with a dead refresh token");
        assertEquals(TokenState.DEAD, status().state());

        // the user re-authorizes and supplies the new refresh token: back in business
        template.requestBodyAndHeader("direct:refresh", "", TokenRefreshConstants.REFRESH_TOKEN, "rt-other");
        assertEquals("Bearer " + server.issuedAccessTokens().get(0), bearer());
        assertEquals(TokenState.FRESH, status().state());
    }

    @Test
    void missingRefreshTokenIsTheDocumentedInvalidRequest() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        // a wrong field name: the server sees no refreshToken and answers with its documented error
        startPartnerWithField("refresh_token");

        TokenErrorResponseException e = assertInstanceOf(TokenErrorResponseException.class, failure("direct:call"));
        assertEquals("invalid_request", e.getError());
        assertEquals(StrictTokenServer.PARTNER_MISSING_TOKEN, e.getErrorDescription());
    }

    private void startPartnerWithField(String field) throws Exception {
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:partner?tokenUrl=" + server.tokenUrl()
                                                      + "&encoding=json&refreshTokenField=" + field
                                                      + "&grantTypeLocation=header&grantTypeField=grantType"
                                                      + "&clientAuthentication=none&header.partnerId=4711&refreshToken=rt-0");
        context.start();
        template = context.createProducerTemplate();
    }

    @Test
    void serverErrorsBackOffAndAStillValidTokenKeepsBeingServed() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").expiresIn(3600L);
        startPartner("&backoffInitialDelay=1m");
        String valid = bearer();

        server.failNext(100, 503, "text/plain", "down for maintenance", Map.of("Retry-After", "120"));
        clock.advance(Duration.ofMinutes(59).plusSeconds(40)); // 20 s left: caller must try to refresh
        assertEquals(valid, bearer(), "refresh failed, but the token has not truly expired");
        assertEquals(2, server.tokenCalls());
        for (int i = 0; i < 20; i++) {
            assertEquals(valid, bearer());
        }
        assertEquals(2, server.tokenCalls(), "backing off: no further token calls");
        AccountStatus status = status();
        assertEquals(TokenState.FAILING, status.state());
        assertEquals("http_503", status.lastErrorType());
        assertTrue(status.nextAttemptAt().isAfter(clock.instant().plusSeconds(119)), "Retry-After honoured");

        clock.advance(Duration.ofSeconds(30)); // token truly expired, still backing off
        RefreshBackoffException backoff = assertInstanceOf(RefreshBackoffException.class, failure("direct:call"));
        assertInstanceOf(TokenEndpointUnavailableException.class, backoff.getCause());
        assertEquals(2, server.tokenCalls());

        server.failNext(0, 0, null, null, Map.of());
        clock.advance(Duration.ofMinutes(5)); // backoff over, server healthy again
        String renewed = bearer();
        assertEquals("Bearer " + server.issuedAccessTokens().get(1), renewed);
        assertEquals(TokenState.FRESH, status().state());
    }

    @Test
    void nonJsonAnswerIsATypedErrorWithStatusAndContentType() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        startPartner("");
        server.failNext(1, 200, "text/html", "<html>proxy login</html>", Map.of());

        InvalidTokenResponseException e = assertInstanceOf(InvalidTokenResponseException.class, failure("direct:call"));
        assertEquals(200, e.getStatusCode());
        assertTrue(e.getMessage().contains("HTTP 200") && e.getMessage().contains("text/html"), e.getMessage());
    }

    @Test
    void unreachableTokenEndpointIsRetriable() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        String url = server.tokenUrl();
        server.close();
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:partner?tokenUrl=" + url
                                                      + "&clientAuthentication=none&refreshToken=rt-0");
        context.start();
        template = context.createProducerTemplate();

        TokenEndpointUnavailableException e
                = assertInstanceOf(TokenEndpointUnavailableException.class, failure("direct:call"));
        assertEquals(0, e.getStatusCode());
        assertTrue(e.isRetriable());
    }

    @Test
    void noRefreshTokenAnywhereSaysHowToSupplyOne() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER);
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:partner?tokenUrl=" + server.tokenUrl()
                                                      + "&clientAuthentication=none");
        context.start();
        template = context.createProducerTemplate();

        RefreshTokenMissingException e = assertInstanceOf(RefreshTokenMissingException.class, failure("direct:call"));
        assertTrue(e.getMessage().contains("refreshToken"), e.getMessage());
        assertEquals(0, server.tokenCalls());
    }

    @Test
    void invalidateMakesTheNextCallerRefresh() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        startPartner("");
        String first = bearer();
        template.requestBody("direct:invalidate", "");
        String second = bearer();
        assertNotEquals(first, second);
        assertEquals(2, server.successfulRefreshes());
    }
}
