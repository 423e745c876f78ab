package io.github.cameltokenrefresh.testing.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One Keycloak ({@code kc.sh start-dev}) on a free loopback port, in a home of its own ({@link KeycloakHome}), with a
 * bootstrap admin whose password is made up per start. {@link #shared()} is the one instance of a test JVM: started on
 * first use, stopped when the JVM exits. Tests make their own realms ({@link RealmBuilder}), so they never see each
 * other's clients, users or sessions.
 * <p>
 * Ready means the master realm's discovery document answers: polled every 250 ms (a condition, not a guess), up to
 * {@link #START_TIMEOUT}. The first start of a freshly unpacked distribution also builds it (Quarkus augmentation,
 * kept in the distribution's {@code lib/quarkus} for later starts): about a minute more on an idle machine, three on a
 * busy one.
 */
public final class KeycloakServer {

    static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    static final String ADMIN_USER = "tokenrefresh-admin";
    /** A running Keycloak to use instead of starting one (while writing tests): its base URL. */
    static final String URL_PROPERTY = "tokenrefresh.keycloak.url";
    /** Its bootstrap admin as {@code user:password}. */
    static final String ADMIN_PROPERTY = "tokenrefresh.keycloak.admin";

    private static KeycloakServer shared;

    private final Process process;
    private final Path log;
    private final String baseUrl;
    private final Duration startupTime;
    private final KeycloakAdmin admin;

    private KeycloakServer(Process process, Path log, String baseUrl, Duration startupTime, String adminUser,
                           String adminPassword) {
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
        this.startupTime = startupTime;
        this.admin = new KeycloakAdmin(baseUrl, adminUser, adminPassword);
    }

    /**
     * The test JVM's instance, started on the first call (which waits for it), stopped at JVM exit; or, with
     * {@code -Dtokenrefresh.keycloak.url=http://127.0.0.1:8080 -Dtokenrefresh.keycloak.admin=admin:admin}, a Keycloak
     * already running (started by hand with {@code start-dev}), which saves its start-up while a test is written.
     */
    public static synchronized KeycloakServer shared() {
        String external = System.getProperty(URL_PROPERTY);
        if (shared == null && external != null && !external.isBlank()) {
            String[] admin = System.getProperty(ADMIN_PROPERTY, "admin:admin").split(":", 2);
            shared = new KeycloakServer(null, null, external.replaceAll("/+$", ""), Duration.ZERO, admin[0], admin[1]);
        }
        if (shared == null) {
            shared = start("jvm-" + ProcessHandle.current().pid());
            KeycloakServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "KeycloakServer-stop"));
        }
        return shared;
    }

    /** Starts an instance in {@code target/keycloak/runs/<name>} and waits until it is ready. */
    public static KeycloakServer start(String name) {
        Path home = KeycloakHome.create(KeycloakHome.distribution(), name);
        int port = freePort();
        String adminPassword = UUID.randomUUID().toString();
        Path log = home.resolve("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(home.resolve("bin").resolve("kc.sh").toString(),
                "start-dev", "--http-host=127.0.0.1", "--http-port=" + port))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + home, e);
        }
        String baseUrl = "http://127.0.0.1:" + port;
        KeycloakServer server;
        try {
            awaitReady(process, baseUrl, log);
            server = new KeycloakServer(process, log, baseUrl, Duration.ofNanos(System.nanoTime() - started),
                    ADMIN_USER, adminPassword);
        } catch (RuntimeException e) {
            stop(process);
            throw e;
        }
        System.out.println("Keycloak ready at " + baseUrl + " after " + server.startupTime.toMillis() + " ms; log: "
                           + log);
        return server;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** From the process start to the first answer of the discovery document (zero for a running one). */
    public Duration startupTime() {
        return startupTime;
    }

    /** The admin REST API as the bootstrap admin. */
    public KeycloakAdmin admin() {
        return admin;
    }

    /** Keycloak's own output (never this test's secrets: they reach it only over HTTP); null for a running one. */
    public Path log() {
        return log;
    }

    /** Asks it to stop (kc.sh forwards SIGTERM to its JVM), then kills what is left after 30 s. */
    public void stop() {
        if (process != null) {
            stop(process);
        }
    }

    private static void stop(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static void awaitReady(Process process, String baseUrl, Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " before it was ready:\n"
                                                + tail(log));
            }
            try {
                if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for Keycloak", e);
            }
            pause();
        }
        throw new IllegalStateException("Keycloak not ready within " + START_TIMEOUT + ":\n" + tail(log));
    }

    private static void pause() {
        try {
            Thread.sleep(250); // the poll interval of a condition, not a wait for an outcome
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for Keycloak", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for Keycloak", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
