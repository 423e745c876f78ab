package io.github.cameltokenrefresh.dialect;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One refresh call, ready for the wire: headers, query and body. It carries secrets, so {@link #toString()} shows
 * only header names, and {@link #secrets()} lists the values to scrub from anything the server echoes back.
 */
public final class TokenRequest {

    private final Map<String, String> headers;
    private final String query;
    private final byte[] body;
    private final String contentType;
    private final List<String> secrets;

    TokenRequest(Map<String, String> headers, String query, byte[] body, String contentType, List<String> secrets) {
        this.headers = Collections.unmodifiableMap(headers);
        this.query = query;
        this.body = body;
        this.contentType = contentType;
        this.secrets = List.copyOf(secrets);
    }

    /** Request headers, Content-Type excluded. */
    public Map<String, String> getHeaders() {
        return headers;
    }

    /** The encoded query string to append to the token URL, or null. */
    public String getQuery() {
        return query;
    }

    /** The encoded body, or null for an empty body. */
    public byte[] getBody() {
        return body;
    }

    public String getContentType() {
        return contentType;
    }

    /** The secret values this request carries (refresh token, client secret, auth key). */
    public List<String> secrets() {
        return secrets;
    }

    @Override
    public String toString() {
        return "TokenRequest[headers=" + headers.keySet() + ", contentType=" + contentType + ", query="
               + (query == null ? "none" : "***") + ", body=" + (body == null ? "none" : body.length + " bytes") + "]";
    }
}
