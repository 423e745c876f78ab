package io.github.cameltokenrefresh.docs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/** docs/providers.md must be exactly what {@link ProvidersDoc} renders from the shipped catalog. */
class ProvidersDocTest {

    static final String HOW_TO_UPDATE = "./mvnw -pl camel-tokenrefresh-testing,camel-tokenrefresh-component test"
                                        + " -Dtest=ProvidersDocTest -D" + ReferenceDocTest.UPDATE_PROPERTY + "=true";

    @Test
    void providersPageMatchesTheCatalog() throws Exception {
        String expected = ProvidersDoc.render();
        Path file = Path.of(System.getProperty("basedir", ".")).resolve("../docs/providers.md").normalize();
        if (Boolean.getBoolean(ReferenceDocTest.UPDATE_PROPERTY)) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(file) || !expected.equals(Files.readString(file, StandardCharsets.UTF_8))) {
            fail(file + " is missing or differs from the catalog (" + "tokenrefresh/providers.json). It is generated:"
                 + " regenerate it with: " + HOW_TO_UPDATE);
        }
    }
}
