package io.github.cameltokenrefresh.internal.wire;

import java.nio.charset.StandardCharsets;

/**
 * What the token endpoint answered, as raw as it came: status, a few headers and the body.
 *
 * @param dpopNonce the {@code DPoP-Nonce} header (RFC 9449 §8), or null
 */
public record TokenResponse(int statusCode, String contentType, String retryAfter, String location, byte[] body,
                            String dpopNonce) {

    public TokenResponse {
        body = body == null ? new byte[0] : body;
    }

    public TokenResponse(int statusCode, String contentType, String retryAfter, String location, byte[] body) {
        this(statusCode, contentType, retryAfter, location, body, null);
    }

    String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // the body holds tokens
        return "TokenResponse[status=" + statusCode + ", contentType=" + contentType + ", body=" + body.length + " bytes]";
    }
}
