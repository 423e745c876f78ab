package io.github.cameltokenrefresh.kafka;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.testing.LogCapture;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A camel-kafka producer (Java DSL) and consumer (YAML DSL) against a real broker (KRaft, its own JVM) that accepts
 * SASL/OAUTHBEARER only, validating JWTs against the authorization server's JWKS and asking every connection to
 * re-authenticate every few seconds. The tokens live {@value #LIFETIME_SECONDS} s: over several lifetimes the messages
 * keep flowing, the broker accepts ever new tokens (each one the provider obtained once, for both clients, with the
 * account's rotating refresh token), every re-authentication succeeds, and Kafka's own log at TRACE holds no token.
 */
class KafkaOAuthBearerIT {

    private static final int LIFETIME_SECONDS = 6;
    private static final String CLIENT_SECRET = "kafka-client-secret-5e1d";
    private static final String JAAS = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                                       + " camelContext=\"kafka-it\" provider=\"kc\" account=\"orders\";";

    private static final String PRODUCER_METRICS = "kafka.producer:type=producer-metrics,*";
    private static final String CONSUMER_METRICS = "kafka.consumer:type=consumer-metrics,*";

    @TempDir
    Path dir;

    private JwtTokenServer authorizationServer;
    private KafkaBroker broker;
    private DefaultCamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
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
        broker = KafkaBroker.start(dir, authorizationServer.jwksUrl(), authorizationServer.issuer(),
                                   Duration.ofSeconds(3));
        List<String> sent = new ArrayList<>();
        long started;
        String log;
        double producerReauthentications;
        double consumerReauthentications;
        try (LogCapture capture = new LogCapture()) {
            MockEndpoint received = startRoutes();
            started = System.nanoTime();
            ProducerTemplate template = context.createProducerTemplate();
            // one message at a time, each awaited on the consumer, until the broker has seen several token lifetimes
            while (!severalLifetimesSeen()) {
                assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 120, "two minutes at most");
                String body = "order-" + sent.size();
                template.sendBody("direct:orders", body);
                sent.add(body);
                int count = sent.size();
                await(body + " consumed").atMost(Duration.ofSeconds(sent.size() == 1 ? 60 : 20))
                        .pollInterval(Duration.ofMillis(100)).until(() -> received.getReceivedCounter() >= count);
            }
            assertEquals(sent, received.getReceivedExchanges().stream().map(e -> e.getMessage().getBody(String.class))
                    .toList(), "every message once, in order");
            // the clients' metrics go as they close
            producerReauthentications = reauthentications(PRODUCER_METRICS);
            consumerReauthentications = reauthentications(CONSUMER_METRICS);
            context.stop();
            log = capture.text();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        List<String> issued = authorizationServer.issuedAccessTokens();
        Set<String> issuedDigests = issued.stream().map(RecordingValidatorCallbackHandler::digest)
                .collect(Collectors.toSet());
        Set<String> validated = validatedDigests();
        assertTrue(issuedDigests.containsAll(validated), "the broker accepted only tokens the server issued");
        assertTrue(validated.size() >= 4, "new tokens over several lifetimes: " + validated.size());
        assertTrue(producerReauthentications >= 2, "the producer re-authenticated: " + producerReauthentications);
        assertTrue(consumerReauthentications >= 2, "the consumer re-authenticated: " + consumerReauthentications);
        // both clients re-log in once per token: one token call each time, not one per client
        long perLifetime = elapsed.toMillis() / (LIFETIME_SECONDS * 1000L) + 1;
        assertTrue(issued.size() <= 2 * perLifetime, issued.size() + " token calls in " + elapsed);
        System.out.printf("%d messages in %d s; %d token calls; broker: %d (re-)authentications, %d distinct tokens;"
                          + " re-authentications: producer %.0f, consumer %.0f%n", sent.size(), elapsed.toSeconds(),
                          issued.size(), broker.validatedTokens().size(), validated.size(), producerReauthentications,
                          consumerReauthentications);

        assertTrue(log.contains("DEBUG org.apache.kafka.common.security.authenticator.SaslClientAuthenticator"),
                   "Kafka's SASL client logged at DEBUG: the capture saw it");
        List<String> secrets = new ArrayList<>(issued);
        issued.forEach(token -> secrets.add(token.substring(token.lastIndexOf('.') + 1))); // the signature alone
        secrets.addAll(authorizationServer.issuedRefreshTokens());
        secrets.add(CLIENT_SECRET);
        String brokerOutput = broker.output();
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a token or secret in the client's log");
            assertFalse(brokerOutput.contains(secret), "a token or secret in the broker's output");
        }
    }

    /** Token lifetimes the broker has seen: distinct tokens, and every client re-authenticated on its connections. */
    private boolean severalLifetimesSeen() throws Exception {
        return validatedDigests().size() >= 4 && reauthentications(PRODUCER_METRICS) >= 2
               && reauthentications(CONSUMER_METRICS) >= 2;
    }

    private Set<String> validatedDigests() {
        return broker.validatedTokens().stream().map(line -> line.split(" ")[0]).collect(Collectors.toSet());
    }

    /** Kafka's client metrics (JMX): successful re-authentications; fails on any failed (re-)authentication. */
    private static double reauthentications(String pattern) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double total = 0;
        for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
            assertEquals(0.0, (Double) server.getAttribute(name, "failed-authentication-total"), name.toString());
            assertEquals(0.0, (Double) server.getAttribute(name, "failed-reauthentication-total"), name.toString());
            total += (Double) server.getAttribute(name, "successful-reauthentication-total");
        }
        return total;
    }

    /** The provider, the account's refresh token in its store, then the producer (Java) and consumer (YAML) routes. */
    private MockEndpoint startRoutes() throws Exception {
        context = TestContexts.context(dir.resolve("store"));
        context.getCamelContextExtension().setName("kafka-it");
        TokenRefreshConfiguration kc = new TokenRefreshConfiguration();
        kc.setTokenUrl(authorizationServer.tokenUrl());
        kc.setInsecureHttp(true);
        kc.setStoreDirectory(dir.resolve("store").toString());
        kc.setClientId("orders-client");
        kc.setClientSecret(CLIENT_SECRET);
        context.getRegistry().bind("kc", kc);
        Properties properties = new Properties();
        properties.setProperty("kafka.brokers", broker.bootstrapServers());
        context.getPropertiesComponent().setInitialProperties(properties);
        context.start();
        // onboarding happened earlier: the account's refresh token is in the store
        TestContexts.component(context).tokens("kc").account("orders")
                .supplyRefreshToken(authorizationServer.issueRefreshToken());

        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:orders").routeId("orders-producer")
                        .to("kafka:orders?brokers={{kafka.brokers}}&securityProtocol=SASL_PLAINTEXT"
                            + "&saslMechanism=OAUTHBEARER&saslJaasConfig=RAW(" + JAAS + ")"
                            + "&additionalProperties.sasl.login.callback.handler.class="
                            + TokenRefreshLoginCallbackHandler.class.getName());
            }
        });
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "classpath:kafka/orders-consumer.yaml"));
        return context.getEndpoint("mock:received", MockEndpoint.class);
    }
}
