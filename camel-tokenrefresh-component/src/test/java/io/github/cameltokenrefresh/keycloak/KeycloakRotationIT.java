package io.github.cameltokenrefresh.keycloak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakExtension;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakRealm;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakServer;
import io.github.cameltokenrefresh.testing.keycloak.RealmBuilder;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke test of the Keycloak tier: a provider keeps a real user's tokens alive against Keycloak with strict
 * rotation (a used refresh token is refused), starting from a refresh token the password grant issued.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakRotationIT {

    private static final String SECRET = "app-secret-4711";

    @TempDir
    Path storeDir;

    private DefaultCamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void refreshesWithRotationAndKeycloakRefusesTheUsedRefreshToken(KeycloakServer keycloak) throws Exception {
        System.out.println("Keycloak start-up took " + keycloak.startupTime().toMillis() + " ms");
        KeycloakRealm realm = RealmBuilder.named("rotation").rotation().accessTokenLifespan(Duration.ofMinutes(5))
                .confidentialClient("app", SECRET).user("alice", "alice-pw").create(keycloak);
        String first = realm.passwordGrant("app", SECRET, "alice", "alice-pw").path("refresh_token").asText();
        // Keycloak tells a reused refresh token by its issue time, in whole seconds: one refreshed within the second it
        // was issued is not yet older than the session's last refresh, so the reuse check below needs the next second
        long issuedAt = issuedAtSecond(first);
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() / 1000 > issuedAt);

        context = TestContexts.context(storeDir);
        String uri = "tokenrefresh:keycloak?tokenUrl=" + realm.tokenUrl() + "&clientId=app&clientSecret=RAW(" + SECRET
                     + ")&refreshToken=RAW(" + first + ")";
        TestContexts.addRoute(context, "direct:refresh", uri + "&operation=refresh");
        context.start();
        ProducerTemplate template = context.createProducerTemplate();

        String bearer = template.request("direct:refresh", e -> {
        }).getMessage().getHeader("Authorization", String.class);
        String rotated = stored();
        assertNotEquals(first, rotated, "Keycloak rotated the refresh token and the provider saved the new one");
        assertTrue(realm.acceptsAccessToken(bearer.substring("Bearer ".length())),
                "the access token the provider holds is one Keycloak issued and still honours");

        template.request("direct:refresh", e -> {
        });
        String rotatedAgain = stored();
        assertNotEquals(rotated, rotatedAgain, "the second refresh used the rotated token and got the next one");

        JsonNode reuse = realm.refresh("app", SECRET, first);
        assertEquals("invalid_grant", reuse.path("error").asText(), "Keycloak refuses a used refresh token");
    }

    /** The {@code iat} claim of Keycloak's refresh token, a JWT. */
    private static long issuedAtSecond(String jwt) throws Exception {
        byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return new ObjectMapper().readTree(payload).path("iat").asLong();
    }

    private String stored() {
        return new FileTokenStore(storeDir).load("keycloak", "default").token().getRefreshToken();
    }
}
