package io.github.cameltokenrefresh.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The providers a {@code preset} may name: the catalog shipped in the jar ({@value #RESOURCE}), read once, and a
 * user's catalog file on top of it, whose entries add providers or override fields of shipped ones (its fields win).
 */
public final class ProviderCatalog {

    public static final String RESOURCE = "tokenrefresh/providers.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CatalogEntry> entries;
    /** The entries as JSON, so a user's entry can override single fields. */
    private final Map<String, ObjectNode> raw;

    private ProviderCatalog(Map<String, CatalogEntry> entries, Map<String, ObjectNode> raw) {
        this.entries = Collections.unmodifiableMap(entries);
        this.raw = raw;
    }

    /** The catalog in the jar: read on first use, once per class loader. */
    public static ProviderCatalog shipped() {
        return Shipped.CATALOG;
    }

    /**
     * The shipped catalog with a user's file on top.
     *
     * @param location {@code classpath:<resource>} or {@code file:<path>}
     * @throws CatalogException naming the file, and the entry and field when one is wrong
     */
    public static ProviderCatalog withUserCatalog(String location) {
        return shipped().overriddenBy(location, read(location));
    }

    /** The entry, or null when the catalog has none of that name. */
    public CatalogEntry entry(String name) {
        return entries.get(name);
    }

    /** Every entry, by name. */
    public Collection<CatalogEntry> entries() {
        return entries.values();
    }

    private ProviderCatalog overriddenBy(String location, JsonNode document) {
        Map<String, CatalogEntry> merged = new TreeMap<>(entries);
        Map<String, ObjectNode> mergedRaw = new TreeMap<>(raw);
        for (Iterator<Map.Entry<String, JsonNode>> it = providers(location, document); it.hasNext();) {
            Map.Entry<String, JsonNode> user = it.next();
            JsonNode node = user.getValue();
            ObjectNode fields = raw.containsKey(user.getKey()) ? raw.get(user.getKey()).deepCopy() : JSON.createObjectNode();
            if (node.isObject()) {
                fields.setAll((ObjectNode) node);
            }
            merged.put(user.getKey(), CatalogReader.read(location, user.getKey(), node.isObject() ? fields : node));
            mergedRaw.put(user.getKey(), fields);
        }
        return new ProviderCatalog(merged, mergedRaw);
    }

    private static ProviderCatalog load(String location, JsonNode document) {
        return new ProviderCatalog(Map.of(), Map.of()).overriddenBy(location, document);
    }

    private static Iterator<Map.Entry<String, JsonNode>> providers(String location, JsonNode document) {
        JsonNode providers = document.get("providers");
        if (providers == null || !providers.isObject()) {
            throw new CatalogException("provider catalog " + location + ": needs an object \"providers\" whose fields"
                                       + " are the entries by name");
        }
        for (Iterator<String> names = providers.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
                throw new CatalogException("provider catalog " + location + ": entry '" + name + "': a name is lower-case"
                                           + " letters, digits, '.', '_' and '-'");
            }
        }
        return providers.fields();
    }

    private static JsonNode read(String location) {
        try (InputStream in = open(location)) {
            JsonNode document = JSON.readTree(in);
            if (document == null || !document.isObject()) {
                throw new CatalogException("provider catalog " + location + ": is not a JSON object");
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new CatalogException("provider catalog " + location + ": is not valid JSON (line "
                                       + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (NoSuchFileException e) {
            throw new CatalogException("provider catalog " + location + ": no such file");
        } catch (IOException e) {
            throw new CatalogException("provider catalog " + location + ": cannot be read: " + e.getMessage());
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("file:")) {
            return Files.newInputStream(Path.of(location.substring("file:".length())));
        }
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            InputStream in = loader == null ? null : loader.getResourceAsStream(resource);
            in = in != null ? in : ProviderCatalog.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new NoSuchFileException(resource);
            }
            return in;
        }
        throw new CatalogException("provider catalog " + location + ": must start with classpath: or file:");
    }

    /** The shipped catalog, read when first asked for: a holder class, so no lock on the hot path. */
    private static final class Shipped {
        static final ProviderCatalog CATALOG = load("classpath:" + RESOURCE, readShipped());

        private static JsonNode readShipped() {
            try (InputStream in = ProviderCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new CatalogException("provider catalog classpath:" + RESOURCE + ": missing from the jar");
                }
                return JSON.readTree(in);
            } catch (IOException e) {
                throw new CatalogException("provider catalog classpath:" + RESOURCE + ": cannot be read: " + e.getMessage());
            }
        }
    }
}
