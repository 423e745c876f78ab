package io.github.cameltokenrefresh.assembly;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.catalog.CatalogEntry;
import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.wire.ResponseFields;

/** Reads responseFields and attributeFields (comma-separated key=path pairs) into {@link ResponseFields}. */
final class ResponseFieldOptions {

    private static final Set<String> KEYS = Set.of("accessToken", "refreshToken", "expiresIn", "refreshTokenExpiresIn");

    private ResponseFieldOptions() {
    }

    /** The user's options, else the preset's. */
    static ResponseFields read(String name, TokenRefreshConfiguration config, CatalogEntry preset) {
        Map<String, String> fields = config.getResponseFields() == null
                ? preset.responseFields() : pairs(name, "responseFields", config.getResponseFields());
        Map<String, String> attributes = config.getAttributeFields() == null
                ? preset.attributeFields() : pairs(name, "attributeFields", config.getAttributeFields());
        return read(name, fields, attributes);
    }

    static ResponseFields read(String name, Map<String, String> fields, Map<String, String> attributeFields) {
        for (String key : fields.keySet()) {
            if (!KEYS.contains(key)) {
                throw InvalidOption.of(name, "responseFields", "names '" + key + "'; the keys are accessToken,"
                                                               + " refreshToken, expiresIn and refreshTokenExpiresIn");
            }
        }
        ResponseFields rfc = ResponseFields.RFC6749;
        return new ResponseFields(fields.getOrDefault("accessToken", rfc.accessToken()),
                                  fields.getOrDefault("refreshToken", rfc.refreshToken()),
                                  fields.getOrDefault("expiresIn", rfc.expiresIn()),
                                  fields.getOrDefault("refreshTokenExpiresIn", rfc.refreshTokenExpiresIn()),
                                  attributeFields);
    }

    /** {@code a=b,c=d.e} in order; every key once, every value a dotted path. */
    static Map<String, String> pairs(String name, String option, String value) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return pairs;
        }
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            String path = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (key.isEmpty() || !ResponseFields.isPath(path)) {
                throw InvalidOption.of(name, option, "must be comma-separated name=path pairs (a path is field names"
                                                     + " joined by dots), was '" + pair.trim() + "'");
            }
            if (pairs.put(key, path) != null) {
                throw InvalidOption.of(name, option, "names '" + key + "' twice");
            }
        }
        return pairs;
    }
}
