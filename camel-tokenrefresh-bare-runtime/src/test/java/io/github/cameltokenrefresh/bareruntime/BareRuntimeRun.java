package io.github.cameltokenrefresh.bareruntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.testing.ExampleProviders;
import io.github.cameltokenrefresh.testing.ForkedJvm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run of Camel Main ({@code org.apache.camel.main.Main}, camel-main's own main class) in a JVM of its own, on a
 * class path Maven resolved, against local providers: the API revokes the first access token once every provider has
 * been called, and the run passes only if every exchange made its API call with a valid token, exactly one call per
 * provider got the 401, and no secret or token is in the run's log.
 */
final class BareRuntimeRun {

    static final int CALLS = 3;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);

    private BareRuntimeRun() {
    }

    /** The class path in the file Maven's dependency:build-classpath wrote, named by a system property. */
    static String classpath(String property) {
        try {
            return Files.readString(Path.of(required(property))).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String property) {
        return Path.of(required(property));
    }

    /** A directory of this module's test resources (copied to target/test-classes). */
    static Path testResource(String name) {
        try {
            return Path.of(BareRuntimeRun.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs Camel Main in {@code workDir} with the given properties files ({@code -pl}), against the providers, and
     * checks the run as described above.
     */
    static void runAndCheck(String name, ExampleProviders providers, String classpath, Path workDir,
                            String propertiesLocations) {
        Path runDir = path("bareRuntime.workDir").resolve(name);
        deleteRecursively(runDir);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("log4j2.configurationFile", testResource("forked-log4j2.properties").toString());
        properties.putAll(providers.properties(runDir.resolve("store")));
        properties.put("example.calls", String.valueOf(CALLS));

        try (ForkedJvm run = ForkedJvm.start(workDir, classpath, properties, "org.apache.camel.main.Main",
                                             List.of("-pl", propertiesLocations), runDir.resolve("run.log"))) {
            // the first access token of every provider has been used: the API now refuses it, once
            await().atMost(RUN_LIMIT).until(() -> providers.everyApiCalled() || !run.isAlive());
            providers.revokeIssuedAccessTokens();
            int exitCode = run.awaitExit(RUN_LIMIT);

            String log = "; the run's log: " + run.outputFile();
            assertEquals(0, exitCode, "Camel Main's exit code" + log);
            assertEquals(List.of(), providers.failures(CALLS, 1), name + log);
            String output = run.output();
            long leaked = providers.secrets().stream().filter(output::contains).count();
            assertEquals(0, leaked, "secrets or tokens in the run's log (values not shown)" + log);
            assertTrue(output.contains("Apache Camel"), "the run logged nothing: is the logging backend there?" + log);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: run this test with Maven (the module's pom sets it)");
        }
        return value;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
