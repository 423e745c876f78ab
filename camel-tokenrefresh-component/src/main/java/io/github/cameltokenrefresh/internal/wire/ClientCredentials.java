package io.github.cameltokenrefresh.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who asks for tokens: a client id and secret, or a ready Base64 auth key (Newsletter2Go). {@link #toString()} shows
 * the client id only: RFC 6749 §2.2 makes it an identifier, not a secret.
 */
public record ClientCredentials(String clientId, String clientSecret, String authKey) {

    /**
     * The value of the Basic Authorization header: the auth key as given, or client id and secret form-encoded and
     * joined as RFC 6749 §2.3.1 asks.
     */
    public String basicAuthorization() {
        if (authKey != null) {
            return "Basic " + authKey;
        }
        String pair = FormEncoding.encode(clientId) + ":"
                      + FormEncoding.encode(clientSecret == null ? "" : clientSecret);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "***")
               + ", authKey=" + (authKey == null ? "none" : "***") + "]";
    }
}
