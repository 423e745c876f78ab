package io.github.cameltokenrefresh.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

import static org.awaitility.Awaitility.await;

/**
 * One Kafka broker in KRaft mode (broker and controller in one process), in a JVM of its own on this test's class path
 * ({@code kafka_2.13}): storage formatted with Kafka's StorageTool, then {@code kafka.Kafka}. Clients connect to a
 * SASL_PLAINTEXT listener that accepts OAUTHBEARER only and validates JWTs against a JWKS URL; the broker asks every
 * connection to re-authenticate after {@code connections.max.reauth.ms} (or when its token expires, if sooner).
 * Inter-broker and controller traffic use listeners of their own, without SASL. Its output goes to a file.
 */
final class KafkaBroker implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path output;
    private final Path validatedTokens;

    private KafkaBroker(Process process, int port, Path output, Path validatedTokens) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.validatedTokens = validatedTokens;
    }

    /** @param audience the audience a token must name, or null for none */
    static KafkaBroker start(Path dir, String jwksUrl, String issuer, String audience, Duration reauthAfter)
            throws IOException {
        int port = freePort();
        int internal = freePort();
        int controller = freePort();
        Path validated = dir.resolve("validated-tokens.txt");
        Path config = dir.resolve("server.properties");
        String sasl = "listener.name.sasl_plaintext.oauthbearer.";
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "controller.listener.names=CONTROLLER",
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internal
                                                                       + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internal,
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=INTERNAL",
                "sasl.enabled.mechanisms=OAUTHBEARER",
                sasl + "sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
                sasl + "sasl.server.callback.handler.class=" + RecordingValidatorCallbackHandler.class.getName(),
                "sasl.oauthbearer.jwks.endpoint.url=" + jwksUrl,
                audience != null ? "sasl.oauthbearer.expected.audience=" + audience : "",
                "sasl.oauthbearer.expected.issuer=" + issuer,
                "connections.max.reauth.ms=" + reauthAfter.toMillis(),
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true") + "\n", StandardCharsets.UTF_8);
        Path output = dir.resolve("broker.log");
        // the JWKS URL must be allowed explicitly on the Kafka lines that check it (CVE-2025-27817)
        List<String> properties = List.of("-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=" + jwksUrl,
                                          "-D" + RecordingValidatorCallbackHandler.FILE_PROPERTY + "=" + validated);
        Process format = java(properties, "kafka.tools.StorageTool", List.of("format", "-t", Uuid.randomUuid().toString(),
                                                                              "-c", config.toString()),
                              dir.resolve("format.log"));
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting the broker's storage failed: " + dir.resolve("format.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        KafkaBroker broker = new KafkaBroker(java(properties, "kafka.Kafka", List.of(config.toString()), output), port,
                                             output, validated);
        await("the broker's SASL listener").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!broker.process.isAlive()) {
                        throw new IllegalStateException("the broker stopped; its output: " + output);
                    }
                    return accepts(port);
                });
        return broker;
    }

    private static Process java(List<String> properties, String mainClass, List<String> args, Path output)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a small broker on a shared 2-core machine
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        process.getOutputStream().close();
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** One line per (re-)authentication the broker accepted: a digest of the token and its expiry. */
    List<String> validatedTokens() {
        try {
            return Files.exists(validatedTokens) ? Files.readAllLines(validatedTokens) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly(); // its data is the test's: no controlled shutdown to wait for
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
