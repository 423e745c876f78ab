package io.github.cameltokenrefresh.bareruntime;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kamelet in the component's jar follows the conventions the Kamelet catalog (apache/camel-kamelets) checks its own
 * Kamelets against: name and type, annotations, the JSON schema of the properties, secret markers, dependencies, and
 * every declared property used by the template and the other way round. One deliberate difference: the provider
 * annotation names this project, not the Apache Software Foundation.
 */
class KameletCatalogConventionsTest {

    private static final String FILE = "kamelets/tokenrefresh-action.kamelet.yaml";
    private static final String CREDENTIALS = "urn:camel:group:credentials";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([A-Za-z0-9-._]+)(?::[^}]*)?}}");

    private static Map<String, Object> kamelet;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = KameletCatalogConventionsTest.class.getClassLoader().getResourceAsStream(FILE)) {
            assertNotNull(in, FILE + " is not in the component's jar");
            kamelet = map(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
        }
    }

    @Test
    void nameTypeAndTitleAgree() {
        assertEquals("tokenrefresh-action", map(kamelet.get("metadata")).get("name"), "the file name less .kamelet.yaml");
        assertEquals("action", map(map(kamelet.get("metadata")).get("labels")).get("camel.apache.org/kamelet.type"));
        assertTrue(((String) definition().get("title")).endsWith("Action"), "an action Kamelet's title ends with Action");
        assertFalse(((String) definition().get("description")).isBlank());
        assertEquals("object", definition().get("type"));
    }

    @Test
    void annotationsTheCatalogRequires() {
        Map<String, Object> annotations = map(map(kamelet.get("metadata")).get("annotations"));
        for (String key : List.of("camel.apache.org/kamelet.icon", "camel.apache.org/catalog.version",
                                  "camel.apache.org/provider", "camel.apache.org/kamelet.support.level")) {
            assertTrue(annotations.get(key) instanceof String s && !s.isBlank(), "annotation " + key);
        }
        assertTrue(((String) annotations.get("camel.apache.org/kamelet.icon")).startsWith("data:image/svg+xml;base64,"));
        assertFalse(((String) annotations.get("camel.apache.org/catalog.version")).contains("${"),
                    "catalog.version is filtered to the project version");
    }

    @Test
    void everyPropertyHasTypeCapitalizedTitleAndDescription() {
        properties().forEach((name, raw) -> {
            Map<String, Object> p = map(raw);
            assertTrue(p.get("type") instanceof String, name + ": type");
            assertTrue(p.get("description") instanceof String s && !s.isBlank(), name + ": description");
            String title = (String) p.get("title");
            assertNotNull(title, name + ": title");
            assertFalse(title.startsWith("The ") || title.startsWith("A ") || title.startsWith("An "), name + ": " + title);
            for (String word : title.split(" ")) {
                assertTrue(Character.isUpperCase(word.charAt(0)), name + ": capitalized title words: " + title);
            }
        });
        List<?> required = (List<?>) definition().get("required");
        assertTrue(properties().keySet().containsAll(required), "required properties are defined");
    }

    /** The catalog's rule for secrets, and this project's: a Kamelet property becomes an endpoint URI. */
    @Test
    void noSecretPropertyAndTheCatalogMarkersWhereverOneWouldBe() {
        properties().forEach((name, raw) -> {
            Map<String, Object> p = map(raw);
            if ("password".equals(p.get("format"))) {
                assertTrue(p.get("x-descriptors") instanceof List<?> d && d.contains(CREDENTIALS),
                           name + " has format password but not the descriptor " + CREDENTIALS);
            }
            String lower = name.toLowerCase(Locale.ROOT);
            for (String secretWord : List.of("secret", "token", "password", "key", "credential")) {
                assertFalse(lower.contains(secretWord), name + " looks like a secret: secrets belong to the provider "
                                                        + "bean, not to Kamelet properties (docs/camel-k.md)");
            }
        });
    }

    @Test
    void dependenciesNameCoreKameletAndTheComponent() {
        List<?> dependencies = (List<?>) spec().get("dependencies");
        assertTrue(dependencies.contains("camel:core"), dependencies.toString());
        assertTrue(dependencies.contains("camel:kamelet"), dependencies.toString());
        assertTrue(dependencies.stream().anyMatch(d -> ((String) d).matches(
                "mvn:io\\.github\\.cameltokenrefresh:camel-tokenrefresh:\\d[^$]*")), dependencies.toString());
    }

    @Test
    void theTemplateUsesExactlyTheDeclaredProperties() {
        Set<String> used = new TreeSet<>();
        collectPlaceholders(spec().get("template"), used);
        assertEquals(new TreeSet<>(properties().keySet()), used);
    }

    private static void collectPlaceholders(Object node, Set<String> used) {
        if (node instanceof String s) {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                used.add(m.group(1));
            }
        } else if (node instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectPlaceholders(v, used));
        } else if (node instanceof List<?> l) {
            new ArrayList<>(l).forEach(v -> collectPlaceholders(v, used));
        }
    }

    private static Map<String, Object> spec() {
        return map(kamelet.get("spec"));
    }

    private static Map<String, Object> definition() {
        return map(spec().get("definition"));
    }

    private static Map<String, Object> properties() {
        return map(definition().get("properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertTrue(node instanceof Map, "a YAML mapping expected: " + node);
        return (Map<String, Object>) node;
    }
}
