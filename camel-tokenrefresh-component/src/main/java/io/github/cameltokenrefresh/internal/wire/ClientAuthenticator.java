package io.github.cameltokenrefresh.internal.wire;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.cameltokenrefresh.dialect.ClientAuthentication;

/**
 * How the client proves who it is in a token request (RFC 6749 §2.3): it adds its headers or parameters and names
 * the secrets among them. Every grant of a provider uses the provider's one method; a new method (a signed
 * assertion, RFC 7523 §2.2) is one more implementation and one more case in {@link #of}.
 */
public interface ClientAuthenticator {

    /**
     * Adds the client's proof to a request being built.
     *
     * @param headers    the request headers so far
     * @param parameters the request parameters so far, after the grant's own
     * @param secrets    the secret values the request carries: add every secret value added
     */
    void authenticate(Map<String, String> headers, Map<String, String> parameters, List<String> secrets);

    /** Whether requests identify the client; false for a public client, which names itself where RFC 6749 asks. */
    default boolean identifiesClient() {
        return true;
    }

    /** The implementation of a configured {@code clientAuthentication} that signs nothing. */
    static ClientAuthenticator of(ClientAuthentication method, ClientCredentials credentials) {
        return of(method, credentials, null, Clock.systemUTC());
    }

    /**
     * The implementation of a configured {@code clientAuthentication}.
     *
     * @param assertion how the JWT methods sign, null for the others
     * @param clock     the provider's clock, which dates signed JWTs
     */
    static ClientAuthenticator of(ClientAuthentication method, ClientCredentials credentials, ClientAssertion assertion,
                                  Clock clock) {
        switch (method) {
            case basic:
                return new ClientSecretBasic(credentials);
            case post:
                return new ClientSecretPost(credentials);
            case private_key_jwt:
            case client_secret_jwt:
                return new SignedClientAuthentication(method.name(), credentials.clientId(),
                                                      Objects.requireNonNull(assertion, "assertion"), clock);
            case tls_client_auth:
            case self_signed_tls_client_auth:
                return new TlsClientAuthentication(method.name(), credentials.clientId());
            default:
                return new PublicClient();
        }
    }
}
