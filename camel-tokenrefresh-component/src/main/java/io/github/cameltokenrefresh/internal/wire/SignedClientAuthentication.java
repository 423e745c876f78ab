package io.github.cameltokenrefresh.internal.wire;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code clientAuthentication=private_key_jwt} or {@code client_secret_jwt} (RFC 7523 §2.2, OpenID Connect Core §9):
 * a JWT signed with the client's private key (or HS256 with its secret) with {@code iss} and {@code sub} the client
 * id, made fresh for every call with the provider's clock. The client id travels too (RFC 7521 §4.2 allows it;
 * servers that look the client up before verifying want it).
 */
final class SignedClientAuthentication implements ClientAuthenticator {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final String method;
    private final String clientId;
    private final ClientAssertion assertion;
    private final Clock clock;

    SignedClientAuthentication(String method, String clientId, ClientAssertion assertion, Clock clock) {
        this.method = method;
        this.clientId = clientId;
        this.assertion = assertion;
        this.clock = clock;
    }

    @Override
    public void authenticate(Map<String, String> headers, Map<String, String> parameters, List<String> secrets) {
        String jwt = assertion.sign(clientId, clientId, clock.instant(), Map.of());
        parameters.put("client_id", clientId);
        parameters.put("client_assertion_type", ASSERTION_TYPE);
        parameters.put("client_assertion", jwt);
        secrets.add(jwt); // a bearer credential until it expires
    }

    @Override
    public String toString() {
        return "SignedClientAuthentication[" + method + ", clientId=" + clientId + ", " + assertion + "]";
    }
}
