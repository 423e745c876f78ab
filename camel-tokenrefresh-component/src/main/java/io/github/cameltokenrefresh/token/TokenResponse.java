package io.github.cameltokenrefresh.token;

import java.nio.charset.StandardCharsets;

/** What the token endpoint answered, as raw as it came: status, a few headers and the body. */
public final class TokenResponse {

    private final int statusCode;
    private final String contentType;
    private final String retryAfter;
    private final String location;
    private final byte[] body;

    public TokenResponse(int statusCode, String contentType, String retryAfter, String location, byte[] body) {
        this.statusCode = statusCode;
        this.contentType = contentType;
        this.retryAfter = retryAfter;
        this.location = location;
        this.body = body == null ? new byte[0] : body;
    }

    public int getStatusCode() {
        return statusCode;
    }

    public String getContentType() {
        return contentType;
    }

    public String getRetryAfter() {
        return retryAfter;
    }

    public String getLocation() {
        return location;
    }

    public byte[] getBody() {
        return body;
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
