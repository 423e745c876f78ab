package io.github.cameltokenrefresh.catalog;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cameltokenrefresh.catalog.CatalogEntry.RefreshTokenPolicy;
import io.github.cameltokenrefresh.catalog.CatalogEntry.Source;
import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.internal.wire.ResponseFields;
import io.github.cameltokenrefresh.internal.wire.UrlTemplate;

/**
 * Reads one catalog entry from its JSON object and checks every field, so a wrong entry fails at start with the
 * catalog, the entry and the field in the message, never later on the wire.
 */
final class CatalogReader {

    static final Set<String> FIELDS = Set.of("displayName", "tokenUrl", "refreshUrl", "authorizationUrl", "apiBase",
            "clientAuthentication", "encoding", "grantType", "passwordGrantType", "scope", "scopeOnRefresh", "parameters",
            "authorizationParameters", "callbackAttributes", "attributeFields", "responseFields", "defaultExpiresIn",
            "refreshToken", "quirks", "sources");
    private static final Set<String> RESPONSE_KEYS = Set.of("accessToken", "refreshToken", "expiresIn",
                                                            "refreshTokenExpiresIn");
    private static final Set<String> ROTATION = Set.of("none", "rotating", "optional");

    private final String catalog;
    private final String entry;

    private CatalogReader(String catalog, String entry) {
        this.catalog = catalog;
        this.entry = entry;
    }

    static CatalogEntry read(String catalog, String name, JsonNode json) {
        return new CatalogReader(catalog, name).entry(json);
    }

    private CatalogEntry entry(JsonNode json) {
        if (!json.isObject()) {
            throw fail(null, "must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw fail(field, "is not a catalog field; the fields are " + new java.util.TreeSet<>(FIELDS));
            }
        }
        List<String> apiBase = strings(json, "apiBase");
        apiBase.forEach(base -> template("apiBase", base));
        Map<String, String> responseFields = map(json, "responseFields");
        for (Map.Entry<String, String> field : responseFields.entrySet()) {
            if (!RESPONSE_KEYS.contains(field.getKey())) {
                throw fail("responseFields", "names '" + field.getKey() + "'; the keys are " + RESPONSE_KEYS);
            }
            path("responseFields", field.getValue());
        }
        Map<String, String> attributeFields = map(json, "attributeFields");
        attributeFields.values().forEach(path -> path("attributeFields", path));
        return new CatalogEntry(entry, text(json, "displayName", entry), url(json, "tokenUrl"), url(json, "refreshUrl"),
                                url(json, "authorizationUrl"), apiBase,
                                constant(json, "clientAuthentication", ClientAuthentication.class, ClientAuthentication.basic),
                                constant(json, "encoding", BodyEncoding.class, BodyEncoding.form),
                                text(json, "grantType", "refresh_token"), text(json, "passwordGrantType", "password"),
                                text(json, "scope", null), bool(json, "scopeOnRefresh"), map(json, "parameters"), map(json, "authorizationParameters"),
                                strings(json, "callbackAttributes"), attributeFields, responseFields,
                                duration(json, "defaultExpiresIn", Duration.ofHours(1)), policy(json.get("refreshToken")),
                                strings(json, "quirks"), sources(json.get("sources")));
    }

    private String url(JsonNode json, String field) {
        String value = text(json, field, null);
        if (value != null) {
            template(field, value);
        }
        return value;
    }

    private void template(String field, String value) {
        UrlTemplate template;
        try {
            template = UrlTemplate.parse(value);
        } catch (IllegalArgumentException e) {
            throw fail(field, e.getMessage());
        }
        String sample = template.sample().toLowerCase(Locale.ROOT);
        // an apiBase may be an attribute that is itself a URL (Salesforce's instance_url)
        if (!sample.startsWith("https://") && !(field.equals("apiBase") && value.startsWith("{"))) {
            throw fail(field, "must be an https URL, was '" + value + "'");
        }
    }

    private void path(String field, String path) {
        if (!ResponseFields.isPath(path)) {
            throw fail(field, "has '" + path + "', not a path (field names joined by dots)");
        }
    }

    private RefreshTokenPolicy policy(JsonNode json) {
        if (json == null || json.isNull()) {
            return RefreshTokenPolicy.UNKNOWN;
        }
        if (!json.isObject()) {
            throw fail("refreshToken", "must be an object with rotation, grace, idle and absolute");
        }
        String rotation = text(json, "rotation", "none");
        if (!ROTATION.contains(rotation)) {
            throw fail("refreshToken.rotation", "must be one of " + ROTATION + ", was '" + rotation + "'");
        }
        return new RefreshTokenPolicy(rotation, duration(json, "grace", null), duration(json, "idle", null),
                                      duration(json, "absolute", null));
    }

    private List<Source> sources(JsonNode json) {
        List<Source> sources = new ArrayList<>();
        if (json == null) {
            return sources;
        }
        if (!json.isArray()) {
            throw fail("sources", "must be an array of {url, read, confirms}");
        }
        for (JsonNode source : json) {
            String url = text(source, "url", null);
            String read = text(source, "read", null);
            if (url == null || !url.startsWith("https://") || read == null || !read.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw fail("sources", "each source needs an https url and the date it was read (read: YYYY-MM-DD)");
            }
            sources.add(new Source(url, read, text(source, "confirms", "")));
        }
        return sources;
    }

    private String text(JsonNode json, String field, String fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw fail(field, "must be a non-blank string");
        }
        return node.asText();
    }

    private boolean bool(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw fail(field, "must be true or false");
        }
        return node.booleanValue();
    }

    private <E extends Enum<E>> E constant(JsonNode json, String field, Class<E> type, E fallback) {
        String value = text(json, field, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw fail(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", was '" + value + "'");
        }
    }

    private Duration duration(JsonNode json, String field, Duration fallback) {
        String value = text(json, field, null);
        if (value == null) {
            return fallback;
        }
        try {
            Duration duration = Duration.parse(value);
            if (duration.isNegative() || duration.isZero()) {
                throw fail(field, "must be positive, was " + value);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw fail(field, "must be an ISO-8601 duration such as PT1H or P90D, was '" + value + "'");
        }
    }

    private List<String> strings(JsonNode json, String field) {
        List<String> values = new ArrayList<>();
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            throw fail(field, "must be an array of strings");
        }
        for (JsonNode value : node) {
            if (!value.isTextual() || value.asText().isBlank()) {
                throw fail(field, "must be an array of non-blank strings");
            }
            values.add(value.asText());
        }
        return values;
    }

    private Map<String, String> map(JsonNode json, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw fail(field, "must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> value = fields.next();
            if (!value.getValue().isTextual()) {
                throw fail(field + "." + value.getKey(), "must be a string");
            }
            values.put(value.getKey(), value.getValue().asText());
        }
        return values;
    }

    private CatalogException fail(String field, String problem) {
        return new CatalogException("provider catalog " + catalog + ": entry '" + entry + "'"
                                    + (field == null ? "" : ", field '" + field + "'") + ": " + problem);
    }
}
