package io.github.cameltokenrefresh.internal.wire;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One refresh call, ready for the wire: headers, query and body. It carries secrets, so {@link #toString()} shows
 * only header names, and {@link #secrets()} lists the values to scrub from anything the server echoes back.
 */
public record TokenRequest(Map<String, String> headers, String query, byte[] body, String contentType,
                           List<String> secrets) {

    /**
     * @param headers request headers, Content-Type excluded
     * @param query   the encoded query string to append to the token URL, or null
     * @param body    the encoded body, or null for an empty body
     * @param secrets the secret values this request carries (refresh token, client secret, auth key)
     */
    public TokenRequest {
        headers = Collections.unmodifiableMap(headers);
        secrets = List.copyOf(secrets);
    }

    @Override
    public String toString() {
        return "TokenRequest[headers=" + headers.keySet() + ", contentType=" + contentType + ", query="
               + (query == null ? "none" : "***") + ", body=" + (body == null ? "none" : body.length + " bytes") + "]";
    }
}
