package io.github.cameltokenrefresh.kafka;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.LogCapture;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run both Kafka ITs share: provider kc (the test's authorization server) with account orders onboarded, a
 * camel-kafka producer (Java DSL) and consumer (YAML, {@code kafka/orders-consumer.yaml}) on the broker, and messages
 * sent one at a time, each awaited on the consumer, until the broker has accepted several distinct tokens and both
 * clients re-authenticated; every logger at TRACE meanwhile. What it saw comes back for the test to judge.
 */
final class OrdersOverKafka {

    static final String JAAS = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                               + " camelContext=\"kafka-it\" provider=\"kc\" account=\"orders\";";
    private static final String PRODUCER_METRICS = "kafka.producer:type=producer-metrics,*";
    private static final String CONSUMER_METRICS = "kafka.consumer:type=consumer-metrics,*";

    /** What one run saw: the messages, the clients' re-authentications, the tokens the store held, the log. */
    record Result(List<String> sent, List<String> received, Duration elapsed, double producerReauthentications,
            double consumerReauthentications, Set<String> storedAccessTokens, Set<String> storedRefreshTokens,
            String log) {
    }

    private OrdersOverKafka() {
    }

    static Result run(Path dir, KafkaBroker broker, TokenRefreshConfiguration kc, String refreshToken) throws Exception {
        Path storeDir = dir.resolve("store");
        kc.setStoreDirectory(storeDir.toString());
        DefaultCamelContext context = TestContexts.context(storeDir);
        List<String> sent = new ArrayList<>();
        Set<String> accessTokens = new LinkedHashSet<>();
        Set<String> refreshTokens = new LinkedHashSet<>(List.of(refreshToken));
        try (LogCapture capture = new LogCapture()) {
            MockEndpoint received = startRoutes(context, broker, kc, refreshToken);
            long started = System.nanoTime();
            ProducerTemplate template = context.createProducerTemplate();
            while (!severalLifetimesSeen(broker, capture)) {
                assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 150, "150 s at most");
                String body = "order-" + sent.size();
                template.sendBody("direct:orders", body);
                sent.add(body);
                int count = sent.size();
                // a consumer that re-authenticates or rejoins its group on a loaded machine may take tens of seconds
                await(body + " consumed").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100)).until(() -> received.getReceivedCounter() >= count);
                if (count == 1) {
                    System.out.printf("first message consumed after %d ms%n",
                                      Duration.ofNanos(System.nanoTime() - started).toMillis());
                }
                StoredToken stored = new FileTokenStore(storeDir).load("kc", "orders");
                if (stored != null) {
                    accessTokens.add(stored.token().getAccessToken());
                    refreshTokens.add(stored.token().getRefreshToken());
                }
            }
            List<String> bodies = received.getReceivedExchanges().stream()
                    .map(e -> e.getMessage().getBody(String.class)).toList();
            // the clients' metrics go as they close
            double producer = reauthentications(PRODUCER_METRICS, capture);
            double consumer = reauthentications(CONSUMER_METRICS, capture);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            context.stop();
            return new Result(sent, bodies, elapsed, producer, consumer, accessTokens, refreshTokens, capture.text());
        } finally {
            context.stop();
        }
    }

    /** Token lifetimes the broker has seen: distinct tokens, and both clients re-authenticated on their connections. */
    private static boolean severalLifetimesSeen(KafkaBroker broker, LogCapture capture) throws Exception {
        return validatedDigests(broker).size() >= 4 && reauthentications(PRODUCER_METRICS, capture) >= 2
               && reauthentications(CONSUMER_METRICS, capture) >= 2;
    }

    static Set<String> validatedDigests(KafkaBroker broker) {
        return broker.validatedTokens().stream().map(line -> line.split(" ")[0]).collect(Collectors.toSet());
    }

    /**
     * Kafka's client metrics (JMX): successful re-authentications; fails on any failed (re-)authentication, naming the
     * counter and quoting the client's own account of it (the broker's reason is in it; no token is).
     */
    private static double reauthentications(String pattern, LogCapture capture) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double total = 0;
        for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
            for (String failed : List.of("failed-authentication-total", "failed-reauthentication-total")) {
                assertEquals(0.0, (Double) server.getAttribute(name, failed),
                             () -> name + " " + failed + "; the client's log of it:\n" + authenticationFailures(capture));
            }
            total += (Double) server.getAttribute(name, "successful-reauthentication-total");
        }
        return total;
    }

    /** Kafka's lines on a failed (re-)authentication or SASL exchange, and on an unexpected connection error. */
    private static String authenticationFailures(LogCapture capture) {
        return capture.text().lines()
                .filter(line -> line.contains("Failed authentication") || line.contains("Failed re-authentication")
                                || line.contains("failed authentication due to") || line.contains("Unexpected error from")
                                || line.contains("occurred when evaluating SASL token"))
                .collect(Collectors.joining("\n"));
    }

    /** The provider, the account's refresh token in its store, then the producer (Java) and consumer (YAML) routes. */
    private static MockEndpoint startRoutes(DefaultCamelContext context, KafkaBroker broker, TokenRefreshConfiguration kc,
                                            String refreshToken) throws Exception {
        context.getCamelContextExtension().setName("kafka-it");
        context.getRegistry().bind("kc", kc);
        Properties properties = new Properties();
        properties.setProperty("kafka.brokers", broker.bootstrapServers());
        context.getPropertiesComponent().setInitialProperties(properties);
        context.start();
        // onboarding happened earlier: the account's refresh token is in the store
        TestContexts.component(context).tokens("kc").account("orders").supplyRefreshToken(refreshToken);

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
