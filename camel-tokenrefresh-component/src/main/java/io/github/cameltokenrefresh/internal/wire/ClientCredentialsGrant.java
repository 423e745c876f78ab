package io.github.cameltokenrefresh.internal.wire;

import java.util.List;
import java.util.Map;

/** The client credentials grant (RFC 6749 §4.4), a fallback grant: the client authentication is the whole request. */
public final class ClientCredentialsGrant implements TokenGrant {

    @Override
    public String grantType(TokenRequestDialect dialect) {
        return "client_credentials";
    }

    @Override
    public Map<String, String> parameters(TokenRequestDialect dialect) {
        return Map.of();
    }

    @Override
    public List<String> secrets() {
        return List.of();
    }

    @Override
    public String toString() {
        return "ClientCredentialsGrant";
    }
}
