package io.github.cameltokenrefresh.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

import static io.github.cameltokenrefresh.testing.TokenRequestRejected.invalidRequest;

/**
 * The syntax checks every dialect's token request shares: media type, form and JSON bodies, no query string. Each
 * refuses with a reason that names what was wrong and never a value that could be a secret.
 */
final class WireChecks {

    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";

    // Duplicate JSON keys are a malformed request (RFC 6749 §3.2: parameters must not repeat), so detect them.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private WireChecks() {
    }

    static boolean hasQuery(RecordedRequest request) {
        return request.query() != null && !request.query().isEmpty();
    }

    static void rejectQuery(RecordedRequest request) throws TokenRequestRejected {
        if (hasQuery(request)) {
            throw invalidRequest("unexpected query string " + queryNames(request.query()));
        }
    }

    /** The media type must match; the only parameter allowed is charset, and it must be UTF-8. */
    static void checkContentType(RecordedRequest request, String expected) throws TokenRequestRejected {
        List<String> values = request.headers().getOrDefault("content-type", List.of());
        if (values.isEmpty()) {
            throw invalidRequest("content type was missing, expected " + expected);
        }
        if (values.size() > 1) {
            throw invalidRequest("content type sent " + values.size() + " times, expected " + expected);
        }
        String[] parts = values.get(0).split(";");
        String mediaType = parts[0].trim();
        if (!mediaType.equalsIgnoreCase(expected)) {
            throw invalidRequest("content type was " + values.get(0) + ", expected " + expected);
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq).trim();
            String value = eq < 0 ? "" : param.substring(eq + 1).trim().replace("\"", "");
            if (!name.equalsIgnoreCase("charset") || !value.equalsIgnoreCase("UTF-8")) {
                throw invalidRequest("content type was " + values.get(0) + ", expected " + expected
                                     + " (optionally with charset=UTF-8)");
            }
        }
    }

    /** application/x-www-form-urlencoded; empty values count as omitted (RFC 6749 §3.1), repeats are malformed. */
    static Map<String, String> parseForm(String source) throws TokenRequestRejected {
        Map<String, String> params = new LinkedHashMap<>();
        if (source == null || source.isEmpty()) {
            return params;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String pair : source.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidRequest("form body was not valid application/x-www-form-urlencoded");
            }
            if (!seen.add(name)) {
                throw invalidRequest("parameter " + name + " was included more than once (RFC 6749 §3.2)");
            }
            if (!value.isEmpty()) {
                params.put(name, value);
            }
        }
        return params;
    }

    static ObjectNode parseJsonObject(String body) throws TokenRequestRejected {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalidRequest("body was not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw invalidRequest("body was " + (node == null || node.isMissingNode() ? "empty" : node.getNodeType())
                                 + ", expected a JSON object");
        }
        return object;
    }

    /** A string field's value; null when absent; a non-string value is malformed. */
    static String textField(ObjectNode json, String name) throws TokenRequestRejected {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalidRequest("JSON field " + name + " was " + value.getNodeType() + ", expected a string");
        }
        return value.asText();
    }

    static Set<String> fieldNames(ObjectNode json) {
        Set<String> names = new LinkedHashSet<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The one value of a header; several are malformed. Null when absent. */
    static String singleHeader(RecordedRequest request, String name, String display) throws TokenRequestRejected {
        List<String> values = request.headers().getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw invalidRequest(display + " sent " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** The scheme word only; the credentials after it are never put into a reason. */
    static String scheme(String authorization) {
        int space = authorization.indexOf(' ');
        return space < 0 ? "<no scheme>" : authorization.substring(0, space);
    }

    /** Names only: query values may be secrets. */
    private static String queryNames(String query) {
        List<String> names = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            names.add(eq < 0 ? pair : pair.substring(0, eq));
        }
        return names.toString();
    }
}
