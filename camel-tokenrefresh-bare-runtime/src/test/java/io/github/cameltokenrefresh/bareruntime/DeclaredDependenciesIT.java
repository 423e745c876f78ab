package io.github.cameltokenrefresh.bareruntime;

import java.nio.file.Path;

import io.github.cameltokenrefresh.testing.ExampleProviders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The YAML examples, the Kamelet and the Java route configuration recover a 401 on exactly the class path a user (or a
 * Camel K operator, which computes dependencies from the user's routes) gives them: the component's declared runtime
 * dependencies, camel-main, camel-yaml-dsl, camel-timer for the routes' timers, a logging backend, and camel-kamelet
 * for the Kamelet. Each runs in a JVM of its own on the class path Maven resolved for this module (see its pom).
 */
class DeclaredDependenciesIT {

    @Test
    void theYamlExamplesAndTheYaml401RouteConfigurationNeedNothingUndeclared() {
        String classpath = BareRuntimeRun.classpath("bareRuntime.classpath");
        // camel-main and camel-test bring camel-bean into every other test and example of this build; here it is not
        assertFalse(classpath.contains("/camel-bean-"), "camel-bean is on the bare class path: " + classpath);
        try (ExampleProviders providers = ExampleProviders.start("newsletter2go", "aweber", "partner")) {
            BareRuntimeRun.runAndCheck("yaml-examples", providers, classpath,
                                       BareRuntimeRun.path("bareRuntime.yamlExamples"), "file:application.properties");
        }
    }

    @Test
    void theKameletNeedsOnlyCamelKameletMore() {
        Path dir = BareRuntimeRun.testResource("kamelet");
        try (ExampleProviders providers = ExampleProviders.start("partner")) {
            BareRuntimeRun.runAndCheck("kamelet", providers, BareRuntimeRun.classpath("bareRuntime.kameletClasspath"),
                                       dir, providerAnd(dir));
        }
    }

    @Test
    void theJavaRouteConfigurationNeedsNothingUndeclared() {
        Path dir = BareRuntimeRun.testResource("java");
        // this module's classes hold the user's Java route, and nothing else
        String classpath = BareRuntimeRun.classpath("bareRuntime.classpath") + java.io.File.pathSeparator
                           + BareRuntimeRun.path("bareRuntime.classes");
        try (ExampleProviders providers = ExampleProviders.start("partner")) {
            BareRuntimeRun.runAndCheck("java", providers, classpath, dir, providerAnd(dir));
        }
    }

    private static String providerAnd(Path dir) {
        return "file:" + dir.resolve("application.properties") + ",file:"
               + BareRuntimeRun.testResource("partner-provider.properties");
    }
}
