package io.github.cameltokenrefresh.internal.wire;

import java.util.List;
import java.util.Map;

/**
 * One way to ask the token endpoint for a token (RFC 6749 §4-6): the grant's own parameters and which of them are
 * secret. The dialect adds the grant type where the provider wants it, the client authentication and its fixed
 * parameters ({@link TokenRequestDialect#encode}); the token call sends it. A new grant is one more implementation.
 * Implementations never show a secret in {@code toString()}.
 */
public interface TokenGrant {

    /** The grant type value sent, in the provider's dialect (a provider may name the refresh grant otherwise). */
    String grantType(TokenRequestDialect dialect);

    /** The grant's own parameters, in the order sent; the dialect may rename the refresh token's field. */
    Map<String, String> parameters(TokenRequestDialect dialect);

    /** The secret values among the parameters: scrubbed from anything the server echoes, never in a message. */
    List<String> secrets();

    /** The refresh token sent, kept when the answer brings none (RFC 6749 §6); null for other grants. */
    default String refreshToken() {
        return null;
    }
}
