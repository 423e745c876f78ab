package io.github.cameltokenrefresh;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signed state refuses every callback the operator did not start, before any token call: each case answers 400
 * with a page in the customer's words (the operator's reason goes to the log), makes no token call and stores nothing.
 */
class AuthorizationStateIT {

    @TempDir
    Path storeDir;

    private OnboardingFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private static final String INVALID = "This link does not work";

    private void assertRefused(HttpResponse<String> page, String title, String account) {
        assertEquals(400, page.statusCode(), page.body());
        assertTrue(page.body().contains("<h1>" + title + "</h1>"), page.body());
        assertEquals(0, f.server.tokenCalls(), "no token call");
        assertNull(f.store().load("acme", account), "nothing stored");
    }

    /** The callback URL with its state replaced. */
    private static String withState(String callback, String state) {
        String base = callback.substring(0, callback.indexOf("&state="));
        return base + "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
    }

    private static String stateOf(String callback) {
        return OnboardingQuery.parse(callback.substring(callback.indexOf('?') + 1)).get("state");
    }

    @Test
    void aTamperedSignatureIsRefused() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        String callback = f.consent(f.link("a"));
        String state = stateOf(callback);
        char last = state.charAt(state.length() - 2);
        String tampered = state.substring(0, state.length() - 2) + (last == 'A' ? 'B' : 'A') + state.charAt(state.length() - 1);
        assertRefused(f.get(withState(callback, tampered)), INVALID, "a");
    }

    @Test
    void aStateRelabelledForAnotherAccountIsRefused() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        String callback = f.consent(f.link("a"));
        String[] parts = stateOf(callback).split("\\.");
        parts[1] = Base64.getUrlEncoder().withoutPadding().encodeToString("b".getBytes(StandardCharsets.UTF_8));
        assertRefused(f.get(withState(callback, String.join(".", parts))), INVALID, "b");
        assertNull(f.store().load("acme", "a"));
    }

    @Test
    void anExpiredLinkIsRefused() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        String callback = f.consent(f.link("a"));
        f.clock.advance(Duration.ofMinutes(10)); // stateTtl's default
        assertRefused(f.get(callback), "This link has expired", "a");
    }

    @Test
    void aMissingOrMalformedStateIsRefused() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        String callback = f.consent(f.link("a"));
        assertRefused(f.get(callback.substring(0, callback.indexOf("&state="))), INVALID, "a");
        assertRefused(f.get(withState(callback, "not-a-state")), INVALID, "a");
    }

    @Test
    void aReplayedCallbackSaysConnectedAndCostsNoSecondTokenCall() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        String callback = f.consent(f.link("a"));
        assertEquals(200, f.get(callback).statusCode());
        var stored = f.store().load("acme", "a");
        HttpResponse<String> replay = f.get(callback); // a reload of the success page
        assertEquals(200, replay.statusCode());
        assertTrue(replay.body().contains("<h1>Already connected</h1>"), replay.body());
        assertEquals(1, f.server.tokenCalls());
        assertEquals(stored.version(), f.store().load("acme", "a").version(), "nothing stored again");
    }

    @Test
    void aUsedLinkOfAnAccountNotConnectedIsRefused() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        f.server.authorization().denyNext();
        String callback = f.consent(f.link("a"));
        assertEquals(400, f.get(callback).statusCode(), "denied");
        assertRefused(f.get(callback), INVALID, "a");
    }

    @Test
    void aStateOfAnotherProviderIsRefusedEvenWithTheSameKey() throws Exception {
        f = new OnboardingFixture(storeDir);
        f.context.getRegistry().bind("other", f.provider(f.server.tokenUrl()));
        f.context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:otherLink").to("tokenrefresh:other?operation=authorizationUrl");
            }
        });
        f.startWithJavaTemplate();
        String otherLink = f.context.createProducerTemplate().requestBodyAndHeader("direct:otherLink", null,
                TokenRefreshConstants.ACCOUNT, "a", String.class);
        assertRefused(f.get(f.consent(otherLink)), INVALID, "a");
        assertNull(TestContexts.component(f.context).store("other").load("other", "a"));
    }

    @Test
    void theStateDoesNotNameTheVerifierAndTheLinkCarriesOnlyItsChallenge() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        String link = f.link("a");
        Map<String, String> query = OnboardingQuery.parse(link.substring(link.indexOf('?') + 1));
        assertEquals(200, f.get(f.consent(link)).statusCode());
        String verifier = OnboardingQuery.parse(f.server.tokenRequests().get(0).body()).get("code_verifier");
        assertTrue(!link.contains(verifier) && !query.get("state").contains(verifier));
        assertTrue(f.server.rejections().isEmpty(), () -> f.server.rejections().toString());
    }
}
