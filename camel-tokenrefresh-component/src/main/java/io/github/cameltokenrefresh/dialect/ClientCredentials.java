package io.github.cameltokenrefresh.dialect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who asks for tokens: a client id and secret, or a ready Base64 auth key (Newsletter2Go). {@link #toString()} shows
 * the client id only.
 */
public final class ClientCredentials {

    private final String clientId;
    private final String clientSecret;
    private final String authKey;

    public ClientCredentials(String clientId, String clientSecret, String authKey) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.authKey = authKey;
    }

    public String getClientId() {
        return clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public String getAuthKey() {
        return authKey;
    }

    /**
     * The value of the Basic Authorization header: the auth key as given, or client id and secret form-encoded and
     * joined as RFC 6749 §2.3.1 asks.
     */
    public String basicAuthorization() {
        if (authKey != null) {
            return "Basic " + authKey;
        }
        String pair = formEncode(clientId) + ":" + formEncode(clientSecret == null ? "" : clientSecret);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "***")
               + ", authKey=" + (authKey == null ? "none" : "***") + "]";
    }
}
