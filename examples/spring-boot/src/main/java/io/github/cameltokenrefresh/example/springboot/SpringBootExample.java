package io.github.cameltokenrefresh.example.springboot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * camel-tokenrefresh-starter in a Spring Boot application: the provider {@code aweber} is configured in
 * application.yml only, routes name it ({@link ExampleRoutes}), and {@link ExampleRun} makes a few API calls, has the
 * provider revoke the access token once (the 401 is recovered by a refresh and a redelivery) and reads the provider's
 * health and meters from the actuator. Then the application stops, non-zero (a failed build under exec:java) unless
 * every call succeeded.
 * <p>
 * By default it first starts a local AWeber-style token + API server (the component's strict test server) with
 * made-up credentials, which go no further than this process; {@code -Dexample.local-server=false} calls the
 * provider of application.yml with credentials from the environment.
 */
@SpringBootApplication
public class SpringBootExample {

    static final String PROVIDER = "aweber";
    private static final String PROVIDER_KEYS = "camel.component.tokenrefresh.providers." + PROVIDER + ".";

    public static void main(String[] args) throws Exception {
        boolean local = Boolean.parseBoolean(System.getProperty("example.local-server", "true"));
        StrictTokenServer server = local ? localServer() : null;
        ExampleRun.Result result = new ExampleRun.Result(server);
        int exitCode;
        try {
            SpringApplicationBuilder app = new SpringApplicationBuilder(SpringBootExample.class)
                    .initializers(context -> context.getBeanFactory().registerSingleton("exampleResult", result));
            if (server != null) {
                Map<String, Object> localProperties = localProperties(server);
                // before application.yml in precedence: the local server's URLs and the credentials it accepts
                app.initializers(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("local-provider", localProperties)));
            }
            ConfigurableApplicationContext context = app.run(args);
            exitCode = SpringApplication.exit(context);
        } finally {
            if (server != null) {
                server.close(); // also when the application failed to start
            }
        }
        if (exitCode != 0 || !result.ok()) {
            throw new ExampleFailedException(result.failure() != null ? result.failure()
                    : "the application stopped with exit code " + exitCode + " (see the log above)");
        }
    }

    private static StrictTokenServer localServer() {
        return StrictTokenServer.start(Dialect.AWEBER)
                .clientCredentials("demo-client", "demo-secret-" + UUID.randomUUID())
                .rotateRefreshTokens(true); // like AWeber: every refresh answers a new refresh token
    }

    private static Map<String, Object> localProperties(StrictTokenServer server) throws IOException {
        return Map.of(PROVIDER_KEYS + "token-url", server.tokenUrl(),
                      PROVIDER_KEYS + "store-directory", freshLocalStore().toString(),
                      PROVIDER_KEYS + "insecure-http", "true", // the local server speaks plain http on 127.0.0.1
                      PROVIDER_KEYS + "client-id", server.clientId(),
                      PROVIDER_KEYS + "client-secret", server.clientSecret(),
                      PROVIDER_KEYS + "refresh-token", server.issueRefreshToken(),
                      "example.api-url", server.resourceUrl());
    }

    /**
     * Tokens of a previous run's local server mean nothing to this one: the local provider gets an empty store of its
     * own (a real provider's store is kept, see application.yml).
     */
    private static Path freshLocalStore() throws IOException {
        Path store = Path.of(System.getProperty("example.build-directory", "target"), "tokenrefresh-store-local");
        if (Files.isDirectory(store)) {
            try (Stream<Path> files = Files.walk(store)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        return store;
    }

    /** Makes the run fail without a stack trace that only repeats the log. */
    static final class ExampleFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        ExampleFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
