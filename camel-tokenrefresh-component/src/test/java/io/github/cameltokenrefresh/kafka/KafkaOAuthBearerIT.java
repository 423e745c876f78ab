package io.github.cameltokenrefresh.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A camel-kafka producer (Java DSL) and consumer (YAML DSL) against a real broker (KRaft, its own JVM) that accepts
 * SASL/OAUTHBEARER only, validating JWTs against the JWKS of a small authorization server of the test and asking every
 * connection to re-authenticate every 3 s. The tokens live {@value #LIFETIME_SECONDS} s: over several lifetimes the
 * messages keep flowing, the broker accepts ever new tokens (each one the provider obtained once for both clients, with
 * the account's rotating refresh token), every re-authentication succeeds, and no token reaches a log at TRACE.
 * KafkaKeycloakIT runs the same against Keycloak.
 */
@Tag("kafka")
class KafkaOAuthBearerIT {

    private static final int LIFETIME_SECONDS = 6;
    private static final String CLIENT_SECRET = "kafka-client-secret-5e1d";

    @TempDir
    Path dir;

    private JwtTokenServer authorizationServer;
    private KafkaBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
            // for a failure's diagnosis: the broker's output, in this test's report (no token reaches it: see below)
            System.out.println("--- broker output ---\n" + broker.output());
        }
        if (authorizationServer != null) {
            authorizationServer.close();
        }
    }

    @Test
    void producerAndConsumerStayConnectedAcrossTokenLifetimesAndReauthentications() throws Exception {
        authorizationServer = JwtTokenServer.start("orders-client", CLIENT_SECRET, Duration.ofSeconds(LIFETIME_SECONDS));
        long brokerStart = System.nanoTime();
        broker = KafkaBroker.start(dir, authorizationServer.jwksUrl(), authorizationServer.issuer(),
                                   JwtTokenServer.AUDIENCE, Duration.ofSeconds(3));
        System.out.printf("broker listening after %d ms%n", Duration.ofNanos(System.nanoTime() - brokerStart).toMillis());
        TokenRefreshConfiguration kc = new TokenRefreshConfiguration();
        kc.setTokenUrl(authorizationServer.tokenUrl());
        kc.setInsecureHttp(true);
        kc.setClientId("orders-client");
        kc.setClientSecret(CLIENT_SECRET);

        OrdersOverKafka.Result run = OrdersOverKafka.run(dir, broker, kc, authorizationServer.issueRefreshToken());

        List<String> issued = authorizationServer.issuedAccessTokens();
        Set<String> validated = OrdersOverKafka.validatedDigests(broker);
        System.out.printf("%d messages in %d s; %d token calls; broker: %d (re-)authentications, %d distinct tokens;"
                          + " re-authentications: producer %.0f, consumer %.0f%n", run.sent().size(),
                          run.elapsed().toSeconds(), issued.size(), broker.validatedTokens().size(), validated.size(),
                          run.producerReauthentications(), run.consumerReauthentications());
        assertEquals(run.sent(), run.received(), "every message once, in order");
        assertTrue(issued.stream().map(RecordingValidatorCallbackHandler::digest).collect(Collectors.toSet())
                .containsAll(validated), "the broker accepted only tokens the server issued");
        assertTrue(validated.size() >= 4, "new tokens over several lifetimes: " + validated.size());
        assertTrue(run.producerReauthentications() >= 2, "the producer re-authenticated");
        assertTrue(run.consumerReauthentications() >= 2, "the consumer re-authenticated");
        // both clients re-log in once per token: one token call each time, not one per client
        long lifetimes = run.elapsed().toMillis() / (LIFETIME_SECONDS * 1000L) + 1;
        assertTrue(issued.size() <= 2 * lifetimes, issued.size() + " token calls in " + run.elapsed());

        List<String> secrets = new ArrayList<>(issued);
        secrets.addAll(authorizationServer.issuedRefreshTokens());
        secrets.add(CLIENT_SECRET);
        assertNoSecretLogged(run.log(), broker.output(), secrets);
    }

    /** Kafka's SASL client logged at DEBUG and the capture saw it; no token, its signature alone or secret anywhere. */
    static void assertNoSecretLogged(String log, String brokerOutput, List<String> secrets) {
        assertTrue(log.contains("DEBUG org.apache.kafka.common.security.authenticator.SaslClientAuthenticator"),
                   "the capture saw Kafka's SASL client at DEBUG");
        List<String> all = new ArrayList<>(secrets);
        secrets.stream().filter(s -> s.chars().filter(c -> c == '.').count() == 2)
                .forEach(jwt -> all.add(jwt.substring(jwt.lastIndexOf('.') + 1)));
        for (String secret : all) {
            assertFalse(log.contains(secret), "a token or secret in the client's log");
            assertFalse(brokerOutput.contains(secret), "a token or secret in the broker's output");
        }
    }
}
