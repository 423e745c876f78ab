package io.github.cameltokenrefresh.docs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/reference.md must be exactly what {@link ReferenceDoc} renders from the generated component JSON, so an option
 * added, renamed or re-described in the code cannot leave the reference behind.
 */
class ReferenceDocTest {

    static final String UPDATE_PROPERTY = "tokenrefresh.updateDocs";
    static final String HOW_TO_UPDATE = "./mvnw -pl camel-tokenrefresh-component test -Dtest=ReferenceDocTest -D"
                                        + UPDATE_PROPERTY + "=true";

    /** docs/ of the repository; Maven runs tests in the module directory and sets basedir to it. */
    static Path referenceFile() {
        return Path.of(System.getProperty("basedir", ".")).resolve("../docs/reference.md").normalize();
    }

    @Test
    void referenceMatchesTheComponentMetadata() throws Exception {
        String expected = ReferenceDoc.render();
        Path file = referenceFile();

        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expected, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(file)) {
            fail(file + " is missing. Generate it with: " + HOW_TO_UPDATE);
        }
        String actual = Files.readString(file, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail(file + " differs from what ReferenceDoc renders from " + ReferenceDoc.METADATA + " ("
                 + firstDifference(expected, actual) + "). It is generated: do not edit it by hand; regenerate it with: "
                 + HOW_TO_UPDATE);
        }
    }

    @Test
    void renderingIsDeterministic() {
        assertEquals(ReferenceDoc.render(), ReferenceDoc.render());
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end of file>";
            String al = i < a.length ? a[i] : "<end of file>";
            if (!el.equals(al)) {
                return "first difference at line " + (i + 1) + ": expected '" + abbreviate(el) + "' but the file has '"
                       + abbreviate(al) + "'";
            }
        }
        return "line endings or trailing characters differ";
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
