package io.github.cameltokenrefresh.internal.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The authorization code exchange (RFC 6749 §4.1.3), with the PKCE verifier (RFC 7636 §4.5) when the link carried a
 * challenge, and the client id when the client does not authenticate (a public client names itself).
 */
public final class AuthorizationCodeGrant implements TokenGrant {

    private final String code;
    private final String redirectUri;
    private final String codeVerifier;
    private final String publicClientId;

    /**
     * @param codeVerifier   the PKCE verifier, or null without PKCE
     * @param publicClientId the client id when the client does not authenticate, else null
     */
    public AuthorizationCodeGrant(String code, String redirectUri, String codeVerifier, String publicClientId) {
        this.code = code;
        this.redirectUri = redirectUri;
        this.codeVerifier = codeVerifier;
        this.publicClientId = publicClientId;
    }

    @Override
    public String grantType(TokenRequestDialect dialect) {
        return "authorization_code";
    }

    @Override
    public Map<String, String> parameters(TokenRequestDialect dialect) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        params.put("redirect_uri", redirectUri);
        if (codeVerifier != null) {
            params.put("code_verifier", codeVerifier);
        }
        if (publicClientId != null) {
            params.put("client_id", publicClientId);
        }
        return params;
    }

    @Override
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(code));
        if (codeVerifier != null) {
            secrets.add(codeVerifier);
        }
        return secrets;
    }

    @Override
    public String toString() {
        return "AuthorizationCodeGrant[redirect_uri=" + redirectUri + ", pkce=" + (codeVerifier != null) + "]";
    }
}
