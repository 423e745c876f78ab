package io.github.cameltokenrefresh.jbang;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.testing.ExampleProviders;
import io.github.cameltokenrefresh.testing.ForkedJvm;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented Camel JBang command, run: {@code camel run application.properties --dep=<the component>} in
 * (a copy of) {@code examples/yaml}, with the component from the local Maven repository (installed by the build before), against
 * one local strict server per dialect. The API revokes the first access token of each provider once all have been
 * called; every exchange must still make its call with a valid token (refresh and redelivery by the YAML 401 route
 * configuration, which application.properties names), and no secret or token may reach the run's log.
 */
class CamelRunYamlExamplesIT {

    private static final int CALLS = 3;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    @Test
    void camelRunOfTheYamlExamplesRecoversA401() throws IOException {
        requireInstalledComponent();
        Path workDir = Path.of(required("jbang.workDir"));
        deleteRecursively(workDir);
        Files.createDirectories(workDir);
        String classpath = Files.readString(Path.of(required("jbang.classpath"))).trim() + File.pathSeparator
                           + required("jbang.classes");

        try (ExampleProviders providers = ExampleProviders.start("newsletter2go", "aweber", "partner")) {
            // system properties beat application.properties in Camel, as --prop would
            Map<String, String> properties = new LinkedHashMap<>(providers.properties(workDir.resolve("store")));
            properties.put("example.calls", String.valueOf(CALLS));
            List<String> command = new ArrayList<>(List.of(
                    "run", "application.properties",
                    "--dep=" + required("jbang.dependency"),
                    "--maven-settings=" + mavenSettings(workDir),
                    "--max-seconds=60",
                    "--logging-color=false"));

            try (ForkedJvm run = ForkedJvm.start(copyOfExamples(workDir), classpath, properties,
                                                 CamelCommand.class.getName(), command, workDir.resolve("run.log"))) {
                await().atMost(RUN_LIMIT).until(() -> providers.everyApiCalled() || !run.isAlive());
                providers.revokeIssuedAccessTokens();
                int exitCode = run.awaitExit(RUN_LIMIT);

                String log = "; the run's log: " + run.outputFile();
                assertEquals(0, exitCode, "camel run's exit code" + log);
                assertEquals(List.of(), providers.failures(CALLS, 1), "camel run" + log);
                String output = run.output();
                assertTrue(output.contains("Apache Camel (JBang) " + required("jbang.version")),
                           "not Camel JBang " + required("jbang.version") + log);
                long leaked = providers.secrets().stream().filter(output::contains).count();
                assertEquals(0, leaked, "secrets or tokens in the run's log (values not shown)" + log);
            }
        }
    }

    /** camel run writes its state (.camel-jbang/) where it runs: a copy of examples/yaml keeps the sources clean. */
    private static Path copyOfExamples(Path workDir) throws IOException {
        Path copy = Files.createDirectories(workDir.resolve("yaml"));
        try (Stream<Path> files = Files.list(Path.of(required("jbang.yamlExamples")))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, copy.resolve(file.getFileName().toString()));
            }
        }
        return copy;
    }

    /** camel run takes the component from the local Maven repository: without it, say how to put it there. */
    private static void requireInstalledComponent() {
        String[] gav = required("jbang.dependency").split(":");
        Path installed = Path.of(required("jbang.localRepository"), gav[0].replace('.', '/'), gav[1], gav[2],
                                 gav[1] + "-" + gav[2] + ".jar");
        assertTrue(Files.isRegularFile(installed), installed + " is missing: install the component first, "
                                                   + "./mvnw -B install -DskipTests -pl camel-tokenrefresh-component -am");
    }

    /** Points Camel JBang's Maven at this build's local repository: it reads ~/.m2 otherwise. */
    private static Path mavenSettings(Path workDir) throws IOException {
        Path settings = workDir.resolve("settings.xml");
        Files.writeString(settings, "<settings>\n  <localRepository>" + required("jbang.localRepository")
                                    + "</localRepository>\n</settings>\n");
        return settings;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: run this test with Maven (the module's pom sets it)");
        }
        return value;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
