package io.github.cameltokenrefresh.internal.wire;

import java.util.List;
import java.util.Map;

/**
 * {@code clientAuthentication=tls_client_auth} or {@code self_signed_tls_client_auth} (RFC 8705 §2): the client
 * proves who it is with the certificate of its TLS connection (the key manager of {@code sslContextParameters}); the
 * request names the client with {@code client_id}, as §2 requires, and carries no secret.
 */
final class TlsClientAuthentication implements ClientAuthenticator {

    private final String method;
    private final String clientId;

    TlsClientAuthentication(String method, String clientId) {
        this.method = method;
        this.clientId = clientId;
    }

    @Override
    public void authenticate(Map<String, String> headers, Map<String, String> parameters, List<String> secrets) {
        parameters.put("client_id", clientId);
    }

    @Override
    public String toString() {
        return "TlsClientAuthentication[" + method + ", clientId=" + clientId + "]";
    }
}
