package io.github.cameltokenrefresh.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakExtension;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakRealm;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakServer;
import io.github.cameltokenrefresh.testing.keycloak.RealmBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KafkaOAuthBearerIT against Keycloak: a user's tokens (access tokens of {@value #LIFETIME_SECONDS} s, refresh tokens
 * rotated and single use) from a confidential client, the broker validating them against the realm's JWKS and issuer,
 * as a Keycloak-secured cluster does. The account starts from the refresh token the password grant issued.
 */
@ExtendWith(KeycloakExtension.class)
@Tag("kafka")
class KafkaKeycloakIT {

    private static final int LIFETIME_SECONDS = 8;
    private static final String CLIENT_SECRET = "kafka-app-secret-93b7";
    private static final String PASSWORD = "orders-pw-d41f";

    @TempDir
    Path dir;

    private KafkaBroker broker;
    private KeycloakRealm realm;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
            System.out.println("--- broker output ---\n" + broker.output());
        }
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void producerAndConsumerStayConnectedWithKeycloakTokensAcrossLifetimes(KeycloakServer keycloak) throws Exception {
        realm = RealmBuilder.named("kafka").rotation().accessTokenLifespan(Duration.ofSeconds(LIFETIME_SECONDS))
                .confidentialClient("orders-app", CLIENT_SECRET).user("orders", PASSWORD).create(keycloak);
        String refreshToken = realm.passwordGrant("orders-app", CLIENT_SECRET, "orders", PASSWORD).path("refresh_token")
                .asText();
        String jwks = realm.issuer() + "/protocol/openid-connect/certs";
        broker = KafkaBroker.start(dir, jwks, realm.issuer(), null, Duration.ofSeconds(3));
        TokenRefreshConfiguration kc = new TokenRefreshConfiguration();
        kc.setTokenUrl(realm.tokenUrl());
        kc.setInsecureHttp(true);
        kc.setClientId("orders-app");
        kc.setClientSecret(CLIENT_SECRET);

        OrdersOverKafka.Result run = OrdersOverKafka.run(dir, broker, kc, refreshToken);

        Set<String> validated = OrdersOverKafka.validatedDigests(broker);
        System.out.printf("%d messages in %d s; broker: %d (re-)authentications, %d distinct tokens;"
                          + " re-authentications: producer %.0f, consumer %.0f%n", run.sent().size(),
                          run.elapsed().toSeconds(), broker.validatedTokens().size(), validated.size(),
                          run.producerReauthentications(), run.consumerReauthentications());
        assertEquals(run.sent(), run.received(), "every message once, in order");
        assertTrue(validated.size() >= 4, "new Keycloak tokens over several lifetimes: " + validated.size());
        assertTrue(run.producerReauthentications() >= 2, "the producer re-authenticated");
        assertTrue(run.consumerReauthentications() >= 2, "the consumer re-authenticated");
        assertTrue(run.storedRefreshTokens().size() >= 3, "Keycloak rotated the refresh token at every refresh");

        List<String> secrets = new ArrayList<>(run.storedAccessTokens());
        secrets.addAll(run.storedRefreshTokens());
        secrets.add(CLIENT_SECRET);
        secrets.add(PASSWORD);
        KafkaOAuthBearerIT.assertNoSecretLogged(run.log(), broker.output(), secrets);
    }
}
