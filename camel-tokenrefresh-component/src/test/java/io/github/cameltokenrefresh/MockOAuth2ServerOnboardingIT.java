package io.github.cameltokenrefresh;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The onboarding flow against an authorization server nobody here wrote: NAV's mock-oauth2-server (Nimbus OAuth 2.0
 * SDK underneath), with its non-interactive login: the link, its redirect, the callback's code exchange with PKCE
 * and Basic client authentication, and a refresh with the refresh token it issued.
 */
class MockOAuth2ServerOnboardingIT {

    @TempDir
    Path storeDir;

    private final MockOAuth2Server oauth = new MockOAuth2Server();
    private OnboardingFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
        oauth.shutdown();
    }

    @Test
    void anAccountIsOnboardedAndRefreshedAgainstARealServer() throws Exception {
        oauth.start();
        f = new OnboardingFixture(storeDir);
        f.useAuthorizationServer(oauth.authorizationEndpointUrl("default").toString(),
                                 oauth.tokenEndpointUrl("default").toString(), "openid offline_access");
        f.startWithJavaTemplate();

        String link = f.link("nav");
        assertTrue(URI.create(link).getRawQuery().contains("code_challenge="), link);
        String callback = f.consent(link);
        assertTrue(callback.startsWith(f.redirectUri + "?code="), callback);
        HttpResponse<String> page = f.get(callback);
        assertEquals(200, page.statusCode(), page.body());

        AccountTokens account = f.tokens().account("nav");
        Token onboarded = f.store().load("acme", "nav").token();
        assertNotNull(onboarded.getAccessToken());
        assertNotNull(onboarded.getRefreshToken(), "the code exchange issued a refresh token");
        Token refreshed = account.refresh();
        assertNotEquals(onboarded.getAccessToken(), refreshed.getAccessToken());
        HttpResponse<String> reload = f.get(callback);
        assertEquals(200, reload.statusCode(), "a reload of the success page says the account is connected");
        assertTrue(reload.body().contains("<h1>Already connected</h1>"), reload.body());
    }

    @Test
    void theServerChecksPkceSoTheExchangeAboveProvesTheVerifier() throws Exception {
        oauth.start();
        f = new OnboardingFixture(storeDir);
        f.useAuthorizationServer(oauth.authorizationEndpointUrl("default").toString(),
                                 oauth.tokenEndpointUrl("default").toString(), "openid offline_access");
        f.startWithJavaTemplate();
        String callback = f.consent(f.link("nav"));
        String code = OnboardingQuery.parse(URI.create(callback).getRawQuery()).get("code");
        String form = "grant_type=authorization_code&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                      + "&redirect_uri=" + URLEncoder.encode(f.redirectUri, StandardCharsets.UTF_8)
                      + "&code_verifier=" + "x".repeat(43);
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                oauth.tokenEndpointUrl("default").uri()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "acme-client:secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("code_verifier"), refused.body());
    }
}
