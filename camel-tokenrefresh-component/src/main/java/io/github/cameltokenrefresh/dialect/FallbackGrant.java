package io.github.cameltokenrefresh.dialect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An initial grant the component may run unattended when the refresh token is dead or missing: the resource owner
 * password grant (Newsletter2Go's documented authentication, RFC 6749 §4.3) or client credentials (§4.4). It gets a
 * new token pair without a person, so no re-authorization is needed.
 */
public final class FallbackGrant {

    public enum Type {
        none,
        password,
        client_credentials
    }

    private final Type type;
    private final String grantValue;
    private final String username;
    private final String password;

    public FallbackGrant(Type type, String grantValue, String username, String password) {
        this.type = type;
        this.grantValue = grantValue;
        this.username = username;
        this.password = password;
    }

    public Type getType() {
        return type;
    }

    /** The call, in the provider's dialect. */
    public TokenRequest encode(TokenRequestDialect dialect, ClientCredentials credentials) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (type == Type.password) {
            fields.put("username", username);
            fields.put("password", password);
            return dialect.encodeGrant(credentials, grantValue, fields, List.of(password));
        }
        return dialect.encodeGrant(credentials, grantValue, fields, List.of());
    }

    @Override
    public String toString() {
        return "FallbackGrant[" + type + ", grant_type=" + grantValue + (username == null ? "" : ", username=" + username)
               + "]";
    }
}
