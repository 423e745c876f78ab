package io.github.cameltokenrefresh.internal.wire;

import java.util.List;
import java.util.Map;

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

    /** The implementation of a configured {@code clientAuthentication}. */
    static ClientAuthenticator of(ClientAuthentication method, ClientCredentials credentials) {
        switch (method) {
            case basic:
                return new ClientSecretBasic(credentials);
            case post:
                return new ClientSecretPost(credentials);
            default:
                return new PublicClient();
        }
    }
}
