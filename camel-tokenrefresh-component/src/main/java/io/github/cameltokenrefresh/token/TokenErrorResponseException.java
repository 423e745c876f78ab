package io.github.cameltokenrefresh.token;

/**
 * The token endpoint answered with an RFC 6749 §5.2 error body, such as {@code invalid_request} or
 * {@code invalid_client}: the request was understood and refused, so repeating it unchanged will not help.
 */
public class TokenErrorResponseException extends TokenRefreshException {

    private final int statusCode;
    private final String error;
    private final String errorDescription;

    public TokenErrorResponseException(String provider, String account, int statusCode, String error,
                                       String errorDescription) {
        this(provider, account, statusCode, error, errorDescription, hint(error));
    }

    protected TokenErrorResponseException(String provider, String account, int statusCode, String error,
                                          String errorDescription, String advice) {
        super(provider, account, "token endpoint answered HTTP " + statusCode + " with error '" + error + "'"
                                 + (errorDescription == null ? "" : " (" + errorDescription + ")")
                                 + (advice == null ? "" : ": " + advice),
              null);
        this.statusCode = statusCode;
        this.error = error;
        this.errorDescription = errorDescription;
    }

    private static String hint(String error) {
        switch (error) {
            case "invalid_client":
                return "check clientId/clientSecret or authKey and clientAuthentication";
            case "unauthorized_client":
            case "unsupported_grant_type":
                return "check grantType and the preset for this provider";
            case "invalid_request":
                return "check the request dialect options (encoding, field names, grantTypeLocation, headers)";
            case "invalid_scope":
                return "check the scope option";
            default:
                return null;
        }
    }

    public int getStatusCode() {
        return statusCode;
    }

    /** The RFC 6749 §5.2 {@code error} code. */
    public String getError() {
        return error;
    }

    /** The server's {@code error_description}, with anything that looked like a secret removed. */
    public String getErrorDescription() {
        return errorDescription;
    }

    @Override
    public String getErrorType() {
        return error;
    }
}
