package io.github.cameltokenrefresh.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every option of the component (its own metadata, tokenrefresh.json) is a documented key of the starter's
 * configuration metadata, with the component's default and, for enum options, the enum type: an option added to the
 * component reaches IDEs without a hand edit here.
 */
class ConfigurationMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyComponentOptionIsADocumentedKey() throws IOException {
        Map<String, JsonNode> keys = new HashMap<>();
        starterMetadata().get("properties").forEach(p -> keys.put(p.get("name").asText(), p));

        JsonNode options = componentMetadata().get("componentProperties");
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> option = it.next();
            if (option.getKey().equals("configuration")) {
                continue; // replaced by the flat options and by provider beans
            }
            String key = "camel.component.tokenrefresh." + TokenRefreshOptionBinder.kebab(option.getKey());
            JsonNode property = keys.get(key);
            assertNotNull(property, key + " is missing from spring-configuration-metadata.json");
            assertFalse(property.path("description").asText().isBlank(), key + " has no description");
            if (option.getValue().hasNonNull("defaultValue")) {
                assertEquals(option.getValue().get("defaultValue").asText(), property.path("defaultValue").asText(),
                             key + " default");
            }
            if (option.getValue().has("enum")) {
                // bound as the enum itself, so Spring Boot fails the start on a value outside it (Camel 4.14 writes
                // enum options as type "object", 4.18 as type "enum")
                assertEquals(option.getValue().get("javaType").asText(), property.path("type").asText().replace('$', '.'),
                             key + " type");
            }
            checked++;
        }
        assertTrue(checked > 30, "the component's options were read: " + checked);
        assertNotNull(keys.get("camel.component.tokenrefresh.providers"), "the providers map");
    }

    /** The metadata of this module, among those of the Camel starters on the class path. */
    private static JsonNode starterMetadata() throws IOException {
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            JsonNode metadata = JSON.readTree(url);
            for (JsonNode group : metadata.get("groups")) {
                if (group.get("type").asText().equals(TokenRefreshComponentConfiguration.class.getName())) {
                    return metadata;
                }
            }
        }
        throw new AssertionError("no configuration metadata for " + TokenRefreshComponentConfiguration.class);
    }

    private static JsonNode componentMetadata() throws IOException {
        ClassLoader loader = ConfigurationMetadataTest.class.getClassLoader();
        Properties service = new Properties();
        try (InputStream in = loader.getResourceAsStream("META-INF/services/org/apache/camel/component/tokenrefresh")) {
            service.load(in);
        }
        String type = service.getProperty("class");
        String path = "META-INF/" + type.substring(0, type.lastIndexOf('.')).replace('.', '/') + "/tokenrefresh.json";
        try (InputStream in = loader.getResourceAsStream(path)) {
            assertNotNull(in, path);
            return JSON.readTree(in);
        }
    }
}
