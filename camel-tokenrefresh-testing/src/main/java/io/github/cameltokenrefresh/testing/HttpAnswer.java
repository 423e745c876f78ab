package io.github.cameltokenrefresh.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One answer of a {@link StrictTokenServer} endpoint, written by {@link TokenServerHttpShell}: the endpoints build
 * answers and never touch the exchange. {@code rejection} is the reason recorded for a refused request, else null.
 *
 * @param contentType null sends no Content-Type (unless {@code headers} names one)
 * @param body        empty sends no body at all
 */
record HttpAnswer(int status, String contentType, String body, Map<String, String> headers, String rejection) {

    static final String JSON = "application/json";

    static HttpAnswer of(int status, String contentType, String body, Map<String, String> headers) {
        return new HttpAnswer(status, contentType, body, headers, null);
    }

    /** RFC 6749 §5.2: a JSON error, never cached. */
    static HttpAnswer rejected(TokenRequestRejected rejected) {
        Map<String, String> headers = new LinkedHashMap<>(rejected.headers);
        headers.put("Cache-Control", "no-store");
        return new HttpAnswer(rejected.status, JSON, errorBody(rejected.error, rejected.description), headers,
                              rejected.reason);
    }

    static String errorBody(String error, String description) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", error);
        body.put("error_description", description);
        return body.toString();
    }
}
