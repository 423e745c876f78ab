package io.github.cameltokenrefresh.testing.keycloak;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A realm on a running {@link KeycloakServer}: its endpoints as its discovery document names them, and the token calls
 * a test makes to prepare a scene (a real refresh token from the password grant) or to check one (is this refresh token
 * still accepted?). Token values stay in the returned JSON: they are never put in a message.
 */
public final class KeycloakRealm {

    private final KeycloakServer server;
    private final String name;

    KeycloakRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The issuer identifier: {@code <base>/realms/<name>}, exactly as its metadata says. */
    public String issuer() {
        return server.baseUrl() + "/realms/" + name;
    }

    public String discoveryUrl() {
        return issuer() + "/.well-known/openid-configuration";
    }

    public String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public String authorizationUrl() {
        return issuer() + "/protocol/openid-connect/auth";
    }

    public String revocationUrl() {
        return issuer() + "/protocol/openid-connect/revoke";
    }

    public String introspectionUrl() {
        return issuer() + "/protocol/openid-connect/token/introspect";
    }

    /** The discovery document as Keycloak serves it. */
    public JsonNode metadata() {
        return KeycloakHttp.get(discoveryUrl()).expectSuccess("discovery of " + name).json();
    }

    /** A user's tokens through the password grant, the client authenticating with Basic: the token response. */
    public JsonNode passwordGrant(String clientId, String secret, String username, String password) {
        return tokenCall(clientId, secret, Map.of("grant_type", "password", "username", username, "password", password,
                "scope", "openid")).expectSuccess("password grant in " + name).json();
    }

    /**
     * A refresh as a test's own check: the token response on success, else Keycloak's error answer (e.g.
     * {@code invalid_grant}), both as JSON; read its {@code error} field.
     */
    public JsonNode refresh(String clientId, String secret, String refreshToken) {
        return tokenCall(clientId, secret, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken)).json();
    }

    public String userinfoUrl() {
        return issuer() + "/protocol/openid-connect/userinfo";
    }

    /**
     * Whether Keycloak honours the access token: its userinfo endpoint, a protected resource of the realm, answers it
     * (the token needs the {@code openid} scope, as {@link #passwordGrant} asks). Not introspection: Keycloak 26
     * introspects a token only for a client in its audience, which a plain client's own token does not name.
     */
    public boolean acceptsAccessToken(String accessToken) {
        return KeycloakHttp.json("GET", userinfoUrl(), accessToken, null).status() == 200;
    }

    /** Removes the realm and everything in it. */
    public void delete() {
        server.admin().deleteRealm(name);
    }

    private KeycloakHttp.Answer tokenCall(String clientId, String secret, Map<String, String> form) {
        return KeycloakHttp.postForm(tokenUrl(), new LinkedHashMap<>(form), clientId, secret);
    }
}
