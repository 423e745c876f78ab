package io.github.cameltokenrefresh.internal.wire;

import java.util.List;
import java.util.Map;

/** {@code clientAuthentication=post} (RFC 6749 §2.3.1): client_id and client_secret as request parameters. */
final class ClientSecretPost implements ClientAuthenticator {

    private final ClientCredentials credentials;

    ClientSecretPost(ClientCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void authenticate(Map<String, String> headers, Map<String, String> parameters, List<String> secrets) {
        parameters.put("client_id", credentials.clientId());
        parameters.put("client_secret", credentials.clientSecret());
        addSecret(secrets, credentials.clientSecret());
    }

    static void addSecret(List<String> secrets, String value) {
        if (value != null && !value.isEmpty()) {
            secrets.add(value);
        }
    }

    @Override
    public String toString() {
        return "ClientSecretPost[" + credentials + "]";
    }
}
