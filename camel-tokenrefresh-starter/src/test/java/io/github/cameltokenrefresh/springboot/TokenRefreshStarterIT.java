package io.github.cameltokenrefresh.springboot;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The starter in a Spring Boot application: the provider configured only in application.yml refreshes against the
 * strict token server, decorates the HTTP call, recovers a 401 through the shipped route configuration, and shows in
 * the actuator health endpoint (readiness group) and in Spring Boot's MeterRegistry; the secrets stay out of actuator
 * output.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TokenRefreshStarterIT {

    private static final String CLIENT_SECRET = "starter-secret-7f3a";
    private static final String REFRESH_TOKEN = "rt-starter-0";
    private static final String CRM_REFRESH_TOKEN = "rt-crm-never-issued";

    static final StrictTokenServer SERVER = StrictTokenServer.start(Dialect.AWEBER)
            .clientCredentials("starter-client", CLIENT_SECRET).addRefreshToken(REFRESH_TOKEN);

    @TempDir
    static Path storeDir;

    @Autowired
    ProducerTemplate template;
    @Autowired
    CamelContext camelContext;
    @Autowired
    MeterRegistry meterRegistry;
    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void tokenServer(DynamicPropertyRegistry registry) {
        registry.add("tokenserver.token-url", SERVER::tokenUrl);
        registry.add("tokenserver.resource-url", SERVER::resourceUrl);
        registry.add("tokenserver.store-dir", () -> storeDir.toString());
    }

    /** Plain HttpURLConnection: Apache HttpClient 5 (here for Camel) would retry every 503 after a second. */
    @BeforeEach
    void noRetries() {
        http.getRestTemplate().setRequestFactory(new SimpleClientHttpRequestFactory());
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    void providerFromPropertiesRefreshesAndDecoratesTheCall() {
        call();

        assertTrue(SERVER.successfulRefreshes() >= 1, "the strict server accepted a refresh");
        StrictTokenServer.RecordedRequest api = lastResourceCall();
        String bearer = api.header("authorization");
        assertNotNull(bearer, "the API call carried an Authorization header");
        assertTrue(bearer.startsWith("Bearer "), bearer.startsWith("Bearer ") ? "" : "not a Bearer header");
        assertTrue(SERVER.isAccessTokenValid(bearer.substring("Bearer ".length())), "a token the server issued");
        // the provider is the bean named after it, and the duration from application.yml reached it
        TokenRefreshConfiguration bean = camelContext.getRegistry().lookupByNameAndType("aweber",
                TokenRefreshConfiguration.class);
        assertEquals(180_000L, bean.getRefreshWindow());
    }

    @Test
    void a401RefreshesOnceAndRedeliversTheCall() {
        call();
        int refreshes = SERVER.successfulRefreshes();
        int unauthorized = SERVER.unauthorizedResourceCalls();
        List<String> issued = SERVER.issuedAccessTokens();
        SERVER.revokeAccessToken(issued.get(issued.size() - 1));

        call(); // fails the test with the HTTP error unless the redelivery succeeded

        assertEquals(unauthorized + 1, SERVER.unauthorizedResourceCalls(), "the revoked token got one 401");
        assertEquals(refreshes + 1, SERVER.successfulRefreshes(), "one refresh for the 401");
    }

    /** camel.health.exposure-level=full (application.yml): Camel's health indicator lists UP checks too. */
    @Test
    void healthOfTheProviderInTheActuatorHealthEndpoint() {
        call();

        Map<?, ?> camelHealth = component(http.getForEntity("/actuator/health", Map.class).getBody(), "camelHealth");

        Map<?, ?> details = (Map<?, ?>) camelHealth.get("details");
        assertEquals("UP", details.get("tokenrefresh-aweber"), String.valueOf(details.keySet()));
        Map<?, ?> data = (Map<?, ?>) details.get("tokenrefresh-aweber.data");
        assertEquals("aweber", data.get("provider"));
        assertEquals("0", String.valueOf(data.get("accountsDown")));
        assertNoSecretIn(String.valueOf(camelHealth));
    }

    /**
     * Provider checks are readiness checks (a restart cures no dead refresh token): a provider that lost its refresh
     * token shows DOWN with its details, and takes the readiness group (application.yml adds Camel's readiness state
     * to it) out of service, while liveness stays UP.
     */
    @Test
    void aDeadProviderIsDownAndTakesReadinessOutOfService(CapturedOutput output) {
        ResponseEntity<Map> ready = http.getForEntity("/actuator/health/readiness", Map.class);
        assertEquals(HttpStatus.OK, ready.getStatusCode(), String.valueOf(ready.getBody()));

        // crm's refresh token is one the server never issued: invalid_grant, no working token
        assertThrows(CamelExecutionException.class, () -> template.requestBody("direct:crm", "", String.class));

        Map<?, ?> health = http.getForEntity("/actuator/health", Map.class).getBody();
        Map<?, ?> details = (Map<?, ?>) component(health, "camelHealth").get("details");
        assertEquals("DOWN", details.get("tokenrefresh-crm"), String.valueOf(details.keySet()));
        assertEquals("DEAD", ((Map<?, ?>) details.get("tokenrefresh-crm.data")).get("account.default.state"));
        ResponseEntity<Map> refused = http.getForEntity("/actuator/health/readiness", Map.class);
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, refused.getStatusCode(), String.valueOf(refused.getBody()));
        ResponseEntity<Map> live = http.getForEntity("/actuator/health/liveness", Map.class);
        assertEquals(HttpStatus.OK, live.getStatusCode(), String.valueOf(live.getBody()));
        assertNoSecretIn(output.getOut() + health + refused.getBody());
    }

    private static Map<?, ?> component(Map<?, ?> health, String name) {
        Map<?, ?> component = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get(name);
        assertNotNull(component, name + " in " + health);
        return component;
    }

    @Test
    void metersInSpringBootsMeterRegistry() {
        call();

        Counter refreshed = meterRegistry.find("tokenrefresh.refreshes").tag("provider", "aweber")
                .tag("outcome", "success").counter();
        assertNotNull(refreshed, "tokenrefresh.refreshes in Spring Boot's MeterRegistry " + meterRegistry.getClass());
        assertTrue(refreshed.count() >= 1);
        assertNotNull(meterRegistry.find("tokenrefresh.token.expires.in").tag("provider", "aweber").gauge());
    }

    @Test
    void secretsAreMaskedInConfigpropsAndEnv() {
        call();
        for (String endpoint : List.of("/actuator/configprops", "/actuator/env")) {
            String body = http.getForObject(endpoint, String.class);

            // values are shown (show-values=always), so the masking is the starter's doing
            assertTrue(body.contains(SERVER.tokenUrl()), endpoint + " shows the token URL");
            assertTrue(body.contains("******"), endpoint + " masks something");
            assertNoSecretIn(body);
        }
    }

    private void call() {
        template.requestBody("direct:call", "", String.class);
    }

    private static StrictTokenServer.RecordedRequest lastResourceCall() {
        List<StrictTokenServer.RecordedRequest> api = SERVER.requests().stream()
                .filter(r -> r.path().equals(StrictTokenServer.RESOURCE_PATH)).toList();
        assertFalse(api.isEmpty(), "an API call reached the server");
        return api.get(api.size() - 1);
    }

    /** Named in the message only by kind: a failing assertion must not print the secret either. */
    private static void assertNoSecretIn(String text) {
        assertFalse(text.contains(CLIENT_SECRET), "the client secret is shown");
        for (String token : SERVER.issuedRefreshTokens()) {
            assertFalse(text.contains(token), "a refresh token is shown");
        }
        assertFalse(text.contains(REFRESH_TOKEN), "the configured refresh token is shown");
        assertFalse(text.contains(CRM_REFRESH_TOKEN), "crm's refresh token is shown");
        for (String token : SERVER.issuedAccessTokens()) {
            assertFalse(text.contains(token), "an access token is shown");
        }
    }
}
