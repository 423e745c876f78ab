package io.github.cameltokenrefresh.internal.wire;

import java.util.List;
import java.util.Map;

/**
 * {@code clientAuthentication=basic} (RFC 6749 §2.3.1): an Authorization: Basic header of the client id and secret,
 * or of a ready auth key (Newsletter2Go).
 */
final class ClientSecretBasic implements ClientAuthenticator {

    private final ClientCredentials credentials;

    ClientSecretBasic(ClientCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void authenticate(Map<String, String> headers, Map<String, String> parameters, List<String> secrets) {
        String basic = credentials.basicAuthorization();
        headers.put("Authorization", basic);
        ClientSecretPost.addSecret(secrets, credentials.clientSecret());
        secrets.add(basic.substring("Basic ".length()));
    }

    @Override
    public String toString() {
        return "ClientSecretBasic[" + credentials + "]";
    }
}
