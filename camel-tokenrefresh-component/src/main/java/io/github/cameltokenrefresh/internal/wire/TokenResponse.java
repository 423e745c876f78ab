package io.github.cameltokenrefresh.internal.wire;

import java.nio.charset.StandardCharsets;

/** What the token endpoint answered, as raw as it came: status, a few headers and the body. */
public record TokenResponse(int statusCode, String contentType, String retryAfter, String location, byte[] body) {

    public TokenResponse {
        body = body == null ? new byte[0] : body;
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
