package io.github.cameltokenrefresh;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cameltokenrefresh.token.TokenEvent;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a customer sees, in a real headless Chromium on a phone's viewport, against mock-oauth2-server: the success
 * page, its reload, a denied consent, an expired link and a tampered one. Each page: its words, the component's style
 * applied (the CSP nonce let it in), the phone's width honoured (the viewport meta), no-store and a strict CSP on the
 * wire, and a screenshot in target/browser-screenshots/. And re-consent: a refresh token at its warning point sends
 * one REAUTHORIZATION_NEEDED event whose link, followed in the browser, connects the account again.
 */
class CallbackPagesBrowserIT {

    @TempDir
    Path storeDir;

    private final MockOAuth2Server oauth = new MockOAuth2Server();
    private OnboardingFixture f;
    private HeadlessChromium browser;

    @AfterEach
    void tearDown() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (f != null) {
            f.close();
        }
        oauth.shutdown();
    }

    @Test
    void theCustomerSeesEachPageInPlainWordsOnAPhone() throws Exception {
        browser = HeadlessChromium.start();
        oauth.start();
        f = new OnboardingFixture(storeDir);
        TokenRefreshConfiguration config = f.provider(oauth.tokenEndpointUrl("default").toString());
        config.setAuthorizationUrl(oauth.authorizationEndpointUrl("default").toString());
        config.setScope("openid offline_access");
        config.setProviderDisplayName("Acme Mail");
        // a refresh token at its warning point from the start: the next refresh asks for re-consent
        config.setRefreshTokenLifetime(Duration.ofDays(30).toMillis());
        config.setRefreshTokenExpiryWarning(Duration.ofDays(30).toMillis());
        f.context.getRegistry().bind("acme", config);
        f.startWithJavaTemplate();

        // the whole flow: the link, the provider's redirect, our page
        browser.driver.get(f.link("shop"));
        String callback = browser.driver.getCurrentUrl();
        assertTrue(callback.startsWith(f.redirectUri + "?code="), callback);
        assertPage("connected", "Connected", "Your Acme Mail account is now connected. You can close this window.");
        assertNotNull(f.store().load("acme", "shop"), "the token pair was saved before the page");

        browser.driver.navigate().refresh();
        assertPage("already-connected", "Already connected", "Your Acme Mail account is connected.");
        assertHeaders(callback, 200, "Already connected");

        // re-consent before the refresh token dies: one event with a fresh link, which works in the browser
        f.tokens().account("shop").refresh();
        await().until(() -> f.eventTypes().contains(TokenEvent.Type.REAUTHORIZATION_NEEDED));
        List<TokenEvent> asks = reauthorizationEvents();
        assertEquals(1, asks.size(), f.events::toString);
        String renewal = asks.get(0).authorizationUrl();
        assertTrue(renewal.startsWith(oauth.authorizationEndpointUrl("default").toString()), renewal);
        assertFalse(asks.get(0).toString().contains(renewal), "the link stays out of toString (logs)");
        long version = f.store().load("acme", "shop").version();
        browser.driver.get(renewal);
        assertPage("reconnected", "Connected", "Your Acme Mail account is now connected.");
        assertTrue(f.store().load("acme", "shop").version() > version, "the new consent's tokens were saved");
        assertEquals(1, reauthorizationEvents().size(), "still one: the event is not repeated");

        // the provider's redirect after the customer said no (RFC 6749 4.1.2.1)
        String denied = f.redirectUri + "?error=access_denied&state=" + enc(state(f.link("undecided")));
        browser.driver.get(denied);
        assertPage("denied", "Connection cancelled", "Access to your Acme Mail account was not allowed");
        assertNull(f.store().load("acme", "undecided"));

        String late = f.link("late");
        f.clock.advance(Duration.ofMinutes(11)); // past stateTtl
        browser.driver.get(late);
        assertPage("expired", "This link has expired", "Ask for a new link");
        assertHeaders(browser.driver.getCurrentUrl(), 400, "This link has expired");
        assertNull(f.store().load("acme", "late"));

        String honest = f.consent(f.link("victim"));
        String state = state(honest);
        String tampered = honest.replace(enc(state), enc(state.substring(0, state.length() - 1)
                                                          + (state.endsWith("A") ? "B" : "A")));
        browser.driver.get(tampered);
        assertPage("invalid", "This link does not work", "Ask for a new link");
        assertHeaders(tampered, 400, "This link does not work");
        assertNull(f.store().load("acme", "victim"));
    }

    /** The page in the browser: its words, the component's stylesheet applied, laid out for the phone. */
    private void assertPage(String name, String title, String words) throws Exception {
        var driver = browser.driver;
        assertEquals(title, driver.findElement(By.tagName("h1")).getText(), driver::getPageSource);
        String text = driver.findElement(By.tagName("p")).getText();
        assertTrue(text.contains(words), text);
        assertEquals(title, driver.getTitle());
        for (String internal : new String[] {"acme", "stateSecret", "access_denied", "invalid_grant", "redirectUri"}) {
            assertFalse(driver.getPageSource().contains(internal), () -> internal + " on the page: " + text);
        }
        // the style is in: the CSP nonce matched (a blocked style leaves the browser's serif default)
        String font = driver.findElement(By.tagName("body")).getCssValue("font-family");
        assertTrue(font.contains("system-ui"), font);
        // the viewport meta: the layout is the phone's width, not a desktop page shrunk
        assertEquals((long) HeadlessChromium.PHONE_WIDTH, driver.executeScript("return window.innerWidth"));
        int card = driver.findElement(By.tagName("main")).getRect().getWidth();
        assertTrue(card < HeadlessChromium.PHONE_WIDTH, "the card fits the phone: " + card);
        Path shot = browser.screenshot("callback-" + name);
        assertTrue(Files.size(shot) > 1000, shot::toString);
    }

    /** What the server sends for that URL (a plain client asks again): never stored, and a CSP with no script. */
    private void assertHeaders(String url, int status, String title) throws Exception {
        HttpResponse<String> page = f.get(url);
        assertEquals(status, page.statusCode(), page.body());
        assertTrue(page.body().contains("<h1>" + title + "</h1>"), page.body());
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(null), page.headers()::toString);
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.startsWith("default-src 'none'; style-src 'nonce-"), csp);
        assertFalse(csp.contains("unsafe") || csp.contains("script-src"), csp);
        Matcher nonce = Pattern.compile("'nonce-([^']+)'").matcher(csp);
        assertTrue(nonce.find(), csp);
        assertTrue(page.body().contains("<style nonce=\"" + nonce.group(1) + "\">"), "the page's style has the nonce");
    }

    private List<TokenEvent> reauthorizationEvents() {
        return f.events.stream().filter(e -> e.type() == TokenEvent.Type.REAUTHORIZATION_NEEDED).toList();
    }

    private static String state(String url) {
        return OnboardingQuery.parse(URI.create(url).getRawQuery()).get("state");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
