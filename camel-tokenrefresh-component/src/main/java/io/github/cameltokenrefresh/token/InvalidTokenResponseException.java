package io.github.cameltokenrefresh.token;

/**
 * The token endpoint answered, but not with a usable token: not JSON, or JSON without access_token, or with an
 * unusable lifetime. Retriable, as such answers usually come from a proxy or a server in trouble.
 */
public class InvalidTokenResponseException extends TokenRefreshException {

    private final int statusCode;
    private final String contentType;

    public InvalidTokenResponseException(String provider, String account, int statusCode, String contentType,
                                         String reason) {
        super(provider, account, "unusable token response (HTTP " + statusCode + ", Content-Type "
                                 + (contentType == null ? "none" : contentType) + "): " + reason,
              null);
        this.statusCode = statusCode;
        this.contentType = contentType;
    }

    public int getStatusCode() {
        return statusCode;
    }

    public String getContentType() {
        return contentType;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    @Override
    public String getErrorType() {
        return "invalid_response";
    }
}
