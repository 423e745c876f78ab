package io.github.cameltokenrefresh.internal.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource owner password grant (RFC 6749 §4.3), a fallback grant: Newsletter2Go's documented authentication,
 * whose grant type value is its own URI (the preset's).
 */
public final class PasswordGrant implements TokenGrant {

    private final String grantType;
    private final String username;
    private final String password;

    public PasswordGrant(String grantType, String username, String password) {
        this.grantType = grantType;
        this.username = username;
        this.password = password;
    }

    @Override
    public String grantType(TokenRequestDialect dialect) {
        return grantType;
    }

    @Override
    public Map<String, String> parameters(TokenRequestDialect dialect) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("username", username);
        params.put("password", password);
        return params;
    }

    @Override
    public List<String> secrets() {
        return List.of(password);
    }

    @Override
    public String toString() {
        return "PasswordGrant[grant_type=" + grantType + ", username=" + username + "]";
    }
}
