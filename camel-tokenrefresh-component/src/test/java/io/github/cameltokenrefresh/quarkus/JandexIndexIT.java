package io.github.cameltokenrefresh.quarkus;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.TokenRefreshEndpoint;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * META-INF/jandex.idx, the class index Camel Quarkus discovers a third-party component's classes from (the jar
 * packages target/classes as it is; .ci/run also checks the jar). It must be current: every class the build compiled,
 * the generated configurers and URI factory included, and no class that is gone.
 */
class JandexIndexIT {

    private static Path classes;
    private static Index index;

    @BeforeAll
    static void readIndex() throws IOException, URISyntaxException {
        classes = Path.of(TokenRefreshComponent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path file = classes.resolve("META-INF/jandex.idx");
        assertTrue(Files.isRegularFile(file), file + " is written at process-classes");
        try (InputStream in = Files.newInputStream(file)) {
            index = new IndexReader(in).read();
        }
    }

    @Test
    void listsTheComponentEndpointAndConfiguration() {
        for (Class<?> type : List.of(TokenRefreshComponent.class, TokenRefreshEndpoint.class,
                                     TokenRefreshConfiguration.class)) {
            ClassInfo info = index.getClassByName(DotName.createSimple(type.getName()));
            assertNotNull(info, type.getName() + " is in the index");
        }
        ClassInfo component = index.getClassByName(DotName.createSimple(TokenRefreshComponent.class.getName()));
        assertNotNull(component.declaredAnnotation(DotName.createSimple("org.apache.camel.spi.annotations.Component")),
                      "the index carries the @Component annotation Camel tooling looks for");
    }

    @Test
    void listsTheGeneratedConfigurers() {
        for (String generated : List.of("TokenRefreshComponentConfigurer", "TokenRefreshEndpointConfigurer",
                                        "TokenRefreshEndpointUriFactory")) {
            String name = TokenRefreshComponent.class.getPackageName() + "." + generated;
            assertNotNull(index.getClassByName(DotName.createSimple(name)), name + " is in the index");
        }
    }

    @Test
    void isCurrentWithTheCompiledClasses() throws IOException {
        Set<String> compiled;
        try (Stream<Path> files = Files.walk(classes)) {
            compiled = files.map(classes::relativize).map(Path::toString).filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(name -> !name.endsWith("module-info") && !name.endsWith("package-info"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> indexed = index.getKnownClasses().stream().map(c -> c.name().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(compiled);
        missing.removeAll(indexed);
        Set<String> stale = new TreeSet<>(indexed);
        stale.removeAll(compiled);
        assertEquals(Set.of(), missing, "compiled but not in the index");
        assertEquals(Set.of(), stale, "in the index but not compiled");
    }
}
