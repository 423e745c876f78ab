package io.github.cameltokenrefresh.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A token request that breaks its dialect's wire format, or names a token the server does not accept; the token
 * endpoint turns it into an RFC 6749 §5.2 answer. {@code reason} goes to {@link StrictTokenServer#rejections()},
 * {@code description} to the client; neither ever holds a secret or a token value.
 */
final class TokenRequestRejected extends Exception {

    private static final long serialVersionUID = 1L;
    private static final String REALM = "strict-token-server";

    final int status;
    final String error;
    final String description;
    final String reason;
    final transient Map<String, String> headers = new LinkedHashMap<>();

    TokenRequestRejected(int status, String error, String reason) {
        this(status, error, reason, reason);
    }

    TokenRequestRejected(int status, String error, String description, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
        this.reason = reason;
    }

    TokenRequestRejected header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static TokenRequestRejected invalidRequest(String reason) {
        return new TokenRequestRejected(400, "invalid_request", reason);
    }

    static TokenRequestRejected invalidClient(String reason) {
        // RFC 6749 §5.2: 401 with a challenge for the authentication scheme the client should use
        return new TokenRequestRejected(401, "invalid_client", reason)
                .header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
    }

    /** {@code what} names where the grant type was sent: the form or JSON field, or a header. */
    static TokenRequestRejected unsupportedGrantType(String what, List<String> sent, Set<String> accepted) {
        return new TokenRequestRejected(400, "unsupported_grant_type", what + " was " + String.join(",", sent)
                                                                      + ", expected one of " + new TreeSet<>(accepted));
    }
}
