package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One refresh call, ready for the wire: headers, query and body. It carries secrets, so {@link #toString()} shows
 * only header names, and {@link #secrets()} lists the values to scrub from anything the server echoes back.
 */
public record TokenRequest(Map<String, String> headers, String query, byte[] body, String contentType,
                           List<String> secrets, URI url) {

    /**
     * @param headers request headers, Content-Type excluded
     * @param query   the encoded query string to append to the token URL, or null
     * @param body    the encoded body, or null for an empty body
     * @param secrets the secret values this request carries (refresh token, client secret, auth key)
     * @param url     the account's own token URL (a templated one, filled in), or null for the provider's
     */
    public TokenRequest {
        headers = Collections.unmodifiableMap(headers);
        secrets = List.copyOf(secrets);
    }

    /** A request to the provider's token URL. */
    public TokenRequest(Map<String, String> headers, String query, byte[] body, String contentType,
                        List<String> secrets) {
        this(headers, query, body, contentType, secrets, null);
    }

    @Override
    public String toString() {
        return "TokenRequest[headers=" + headers.keySet() + ", contentType=" + contentType + ", query="
               + (query == null ? "none" : "***") + (url == null ? "" : ", url=" + url) + ", body=" + (body == null ? "none" : body.length + " bytes") + "]";
    }
}
