package io.github.cameltokenrefresh;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.observe.ManagedProvider;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Onboarding end to end against the strict authorization server: the link, the consent, the callback route template
 * on platform-http, the code exchanged in RFC 6749 §4.1.3 + RFC 7636 form, the tokens saved and used.
 */
class AuthorizationCodeFlowIT {

    @TempDir
    Path storeDir;

    private OnboardingFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void linkCallbackStoredTokensAndADecoratedCall() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();

        String link = f.link("customer-1");
        Map<String, String> query = OnboardingQuery.parse(URI.create(link).getRawQuery());
        assertEquals("code", query.get("response_type"));
        assertEquals("acme-client", query.get("client_id"));
        assertEquals(f.redirectUri, query.get("redirect_uri"));
        assertEquals("read write", query.get("scope"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertEquals(43, query.get("code_challenge").length());

        HttpResponse<String> page = f.onboard("customer-1");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("Your acme account is now connected"), page.body());
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(null));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(null), "Camel's filter let it out");
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none';"),
                   page.headers().map()::toString);
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));

        // the code was exchanged in the wire format the strict server insists on, once
        assertTrue(f.server.rejections().isEmpty(), () -> f.server.rejections().toString());
        assertEquals(1, f.server.authorization().redemptions());
        RecordedRequest exchange = f.server.tokenRequests().get(0);
        Map<String, String> form = OnboardingQuery.parse(exchange.body());
        assertEquals("authorization_code", form.get("grant_type"));
        assertEquals(f.server.authorization().issuedCodes().get(0), form.get("code"));
        assertEquals(f.redirectUri, form.get("redirect_uri"));
        assertNotNull(form.get("code_verifier"));
        assertFalse(link.contains(form.get("code_verifier")), "the verifier must never be in the link");
        assertTrue(exchange.header("authorization").startsWith("Basic "));

        // saved before the page answered, and used by the next call without another token call
        StoredToken stored = f.store().load("acme", "customer-1");
        assertNotNull(stored);
        assertEquals(f.server.currentRefreshToken(), stored.token().getRefreshToken());
        int tokenCalls = f.server.tokenCalls();
        assertEquals(200, f.callApi("customer-1"));
        assertEquals(tokenCalls, f.server.tokenCalls());
        await().until(() -> f.eventTypes().contains(TokenEvent.Type.AUTHORIZED));
        TokenEvent authorized = f.events.stream().filter(e -> e.type() == TokenEvent.Type.AUTHORIZED).findFirst()
                .orElseThrow();
        assertEquals("customer-1", authorized.account());
    }

    @Test
    void twoAccountsOnboardedConcurrentlyGetTheirOwnTokens() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        String linkA = f.link("a");
        String linkB = f.link("b");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<HttpResponse<String>>> pages = pool.invokeAll(List.<Callable<HttpResponse<String>>>of(
                    () -> f.get(f.consent(linkA)), () -> f.get(f.consent(linkB))));
            assertEquals(200, pages.get(0).get().statusCode());
            assertEquals(200, pages.get(1).get().statusCode());
        } finally {
            pool.shutdownNow();
        }
        var provider = f.tokens();
        String tokenA = provider.account("a").token().getAccessToken();
        String tokenB = provider.account("b").token().getAccessToken();
        assertNotEquals(tokenA, tokenB);
        assertTrue(f.server.isAccessTokenValid(tokenA) && f.server.isAccessTokenValid(tokenB));
        assertEquals(200, f.callApi("a"));
        assertEquals(200, f.callApi("b"));
        assertEquals(2, f.server.tokenCalls(), "one code exchange per account, no refresh");
    }

    @Test
    void aDeadAccountIsRevivedByTheLinkInItsHealthDetailsWithoutARestart() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        assertEquals(200, f.onboard("shop").statusCode());
        var account = f.tokens().account("shop");
        f.server.revokeRefreshToken(account.token().getRefreshToken());
        account.invalidate();
        String log;
        try (LogCapture capture = new LogCapture()) {
            AssertionError dead = assertThrows(AssertionError.class, () -> f.callApi("shop"));
            assertTrue(TestContexts.messages(dead).contains("invalid_grant"), TestContexts.messages(dead));
            log = capture.text();
        }
        assertEquals(TokenState.DEAD, account.status().state());
        assertTrue(log.contains("account 'shop': re-authorize it with this link (valid PT10M): " + f.server
                .authorizationUrl() + "?response_type=code"), log);

        HealthCheck.Result health = HealthCheckHelper.invokeReadiness(f.context).stream()
                .filter(r -> r.getCheck().getId().equals("tokenrefresh-acme")).findFirst().orElseThrow();
        assertEquals(HealthCheck.State.DOWN, health.getState());
        String link = (String) health.getDetails().get("account.shop.authorizationUrl");
        assertTrue(link.startsWith(f.server.authorizationUrl() + "?"), String.valueOf(link));

        DevConsole console = PluginHelper.getDevConsoleResolver(f.context).resolveDevConsole("tokenrefresh");
        String text = (String) console.call(DevConsole.MediaType.TEXT);
        assertTrue(text.contains("Re-authorize: " + f.server.authorizationUrl() + "?"), text);
        String jmx = new ManagedProvider((Provider) f.tokens()).authorizationUrl("shop");
        assertTrue(jmx.startsWith(f.server.authorizationUrl() + "?"), jmx);

        assertEquals(200, f.get(f.consent(link)).statusCode());
        assertEquals(TokenState.FRESH, account.status().state());
        assertEquals(200, f.callApi("shop"));
        HealthCheck.Result up = HealthCheckHelper.invokeReadiness(f.context).stream()
                .filter(r -> r.getCheck().getId().equals("tokenrefresh-acme")).findFirst().orElseThrow();
        assertEquals(HealthCheck.State.UP, up.getState());
    }

    @Test
    void aDeniedConsentAnswersAPageAndAnEventAndStoresNothing() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        f.server.authorization().denyNext();
        HttpResponse<String> page = f.onboard("c");
        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("<h1>Connection cancelled</h1>"), page.body());
        assertEquals(0, f.server.tokenCalls());
        assertEquals(null, f.store().load("acme", "c"));
        await().until(() -> f.eventTypes().contains(TokenEvent.Type.AUTHORIZATION_FAILED));
        assertEquals("access_denied", f.events.get(0).errorType());
    }
}
