package io.github.cameltokenrefresh;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.token.TokenEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YAML twin of the callback template onboards an account, and with every logger at TRACE no code, verifier,
 * token, client secret or state key reaches a log, a page, an event or an exception message.
 */
class OnboardingSecretsIT {

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
    void theYamlTemplateOnboardsAnAccount() throws Exception {
        f = new OnboardingFixture(storeDir).startWithYamlTemplate();
        HttpResponse<String> page = f.onboard("yaml-account");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals(200, f.callApi("yaml-account"));
        assertTrue(f.server.rejections().isEmpty(), () -> f.server.rejections().toString());
    }

    @Test
    void noSecretInLogsPagesEventsOrExceptions() throws Exception {
        f = new OnboardingFixture(storeDir).startWithJavaTemplate();
        List<String> shown = new ArrayList<>();
        String log;
        try (LogCapture capture = new LogCapture()) {
            // a success, a replay, a denial and a code the token endpoint refuses (expired)
            String callback = f.consent(f.link("a"));
            shown.add(f.get(callback).body());
            shown.add(f.get(callback).body());
            f.server.authorization().denyNext();
            shown.add(f.onboard("b").body());
            f.server.authorization().codeLifetime(java.time.Duration.ZERO);
            shown.add(f.onboard("c").body());
            await().until(() -> f.eventTypes().size() >= 3);
            log = capture.text();
        }
        for (TokenEvent event : f.events) {
            shown.add(event.toString());
            shown.add(String.valueOf(event.message()));
        }
        shown.add(f.tokens().toString());
        assertTrue(shown.get(3).contains("<h1>Something went wrong</h1>"), shown.get(3)); // the expired code: refused
        assertTrue(f.events.stream().anyMatch(e -> "invalid_grant".equals(e.errorType())), f.events::toString);

        List<String> secrets = new ArrayList<>(List.of(OnboardingFixture.CLIENT_SECRET, OnboardingFixture.STATE_SECRET));
        List<String> codes = f.server.authorization().issuedCodes();
        // The HTTP engine's own TRACE request log shows the callback URL, code included, as for any redirect-based
        // client (docs/onboarding.md): a code alone is useless (single use, minutes, needs the verifier and the client
        // secret). Nothing else may show it.
        String notEngine = log.lines().filter(l -> !l.startsWith("TRACE io.vertx.ext.web.impl.RouterImpl"))
                .reduce("", (a, b) -> a + b + "\n");
        assertTrue(log.contains(codes.get(0)), "the capture saw the engine's request log");
        for (String code : codes) {
            assertFalse(notEngine.contains(code), () -> "code in the log: " + notEngine.lines()
                    .filter(l -> l.contains(code)).findFirst().orElse(""));
            shown.forEach(text -> assertFalse(text.contains(code), () -> "code in " + text));
        }
        secrets.addAll(f.server.issuedAccessTokens());
        secrets.addAll(f.server.issuedRefreshTokens());
        f.server.tokenRequests().forEach(r -> {
            Map<String, String> form = OnboardingQuery.parse(r.body());
            secrets.add(form.get("code_verifier"));
        });
        assertTrue(secrets.size() >= 6, secrets::toString);
        assertTrue(log.contains("authorized; new token pair saved"), "the capture saw the flow");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), () -> "secret in the log: " + log.lines().filter(l -> l.contains(secret))
                    .findFirst().orElse(""));
            for (String text : shown) {
                assertFalse(text.contains(secret), () -> "secret in " + text);
            }
        }
    }
}
