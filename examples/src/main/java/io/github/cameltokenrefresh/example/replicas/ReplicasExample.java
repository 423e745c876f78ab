package io.github.cameltokenrefresh.example.replicas;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two replicas of one integration sharing an account (docs/replicas.md): two Camel Main JVMs whose provider keeps its
 * tokens in one H2 database in file mode, against a local token endpoint that rotates the refresh token at every
 * refresh, revokes the whole family when an old one comes back, and hands out 4-second access tokens. Without the
 * refresh lease the two would send the same refresh token within seconds and lose the account; with it, one refreshes
 * and the other adopts its token. Exits non-zero unless every API call was accepted and no refresh token was reused.
 */
public final class ReplicasExample {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.example.replicas");
    private static final int SECONDS = 20;

    private ReplicasExample() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("example.buildDirectory", "target"), "replicas").toAbsolutePath();
        Files.createDirectories(dir);
        String jdbcUrl = "jdbc:h2:file:" + dir.resolve("tokens-" + UUID.randomUUID()) + ";AUTO_SERVER=TRUE";
        String secret = "demo-secret-" + UUID.randomUUID();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(jdbcUrl);
        List<String> failures = new ArrayList<>();
        // this JVM opens the database first and serves the file to both replicas (AUTO_SERVER) until they are done
        try (Connection keeper = h2.getConnection();
             StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("demo-client", secret)
                     .addRefreshToken("rt-initial").rotateRefreshTokens(true).revokeFamilyOnReuse(true).expiresIn(4L)) {
            LOG.info("Token endpoint {} (rotates at every refresh, revokes the family on reuse, 4 s access tokens); "
                     + "store {}", server.tokenUrl(), jdbcUrl.substring(0, jdbcUrl.indexOf(';')));
            List<Process> replicas = new ArrayList<>();
            for (String name : List.of("replica-1", "replica-2")) {
                replicas.add(start(name, jdbcUrl, server, secret, dir));
            }
            for (int i = 0; i < replicas.size(); i++) {
                Process replica = replicas.get(i);
                if (!replica.waitFor(SECONDS + 60, TimeUnit.SECONDS)) {
                    replica.destroyForcibly();
                    failures.add("replica-" + (i + 1) + " did not stop");
                }
                String log = Files.readString(dir.resolve("replica-" + (i + 1) + ".log"), StandardCharsets.UTF_8);
                String summary = log.lines().filter(l -> l.startsWith("REPLICA ")).findFirst().orElse("no summary");
                LOG.info("{}", summary);
                if (replica.exitValue() != 0 || !summary.contains("exit=0") || !allAccepted(summary)) {
                    failures.add(summary + " (log: " + dir.resolve("replica-" + (i + 1) + ".log") + ")");
                }
            }
            LOG.info("Token endpoint: {} refreshes, all with the current refresh token; rejected: {}; families revoked: {}",
                     server.successfulRefreshes(), server.rejections().size(), server.familyRevocations());
            if (!server.rejections().isEmpty() || server.familyRevocations() > 0) {
                failures.add("the token endpoint refused " + server.rejections());
            }
        }
        if (!failures.isEmpty()) {
            LOG.error("Result: FAILED: {}", failures);
            System.exit(1);
        }
        LOG.info("Result: OK, two replicas shared one rotating account for {} s without reusing a refresh token", SECONDS);
    }

    private static boolean allAccepted(String summary) {
        String calls = summary.replaceAll(".*calls=(\\d+).*", "$1");
        String accepted = summary.replaceAll(".*accepted=(\\d+).*", "$1");
        return calls.equals(accepted) && Integer.parseInt(calls) > 0;
    }

    private static Process start(String name, String jdbcUrl, StrictTokenServer server, String secret, Path dir)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(),
                "-Dreplica.name=" + name, "-Dreplica.seconds=" + SECONDS, "-Dreplica.jdbc-url=" + jdbcUrl,
                "-Dreplica.token-url=" + server.tokenUrl(), "-Dreplica.api-url=" + server.resourceUrl(),
                "-Dreplica.client-id=demo-client", ReplicaMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        // secrets in the environment, as in production: never on a command line others can read
        builder.environment().put("REPLICA_CLIENT_SECRET", secret);
        builder.environment().put("REPLICA_REFRESH_TOKEN", "rt-initial");
        return builder.start();
    }

    /** This module's run-time class path: exec:java loads it into a class loader of its own. */
    private static String classpath() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader instanceof URLClassLoader urls) {
            return Stream.of(urls.getURLs()).map(ReplicasExample::path).collect(Collectors.joining(File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String path(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot use class path entry " + url, e);
        }
    }
}
