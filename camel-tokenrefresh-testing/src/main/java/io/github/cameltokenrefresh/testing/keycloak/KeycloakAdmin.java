package io.github.cameltokenrefresh.testing.keycloak;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Keycloak's admin REST API ({@code /admin/realms/...}) as the bootstrap admin, through the master realm's
 * {@code admin-cli} client. A new admin token per call: tests make few calls, and the admin token's lifespan (60 s) can
 * end during a long test.
 */
public final class KeycloakAdmin {

    private final String baseUrl;
    private final String user;
    private final String password;

    KeycloakAdmin(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** Creates a realm from its representation (what {@link RealmBuilder} makes, or a JSON resource). */
    public void createRealm(JsonNode realm) {
        call("POST", "", realm).expectSuccess("creating realm " + realm.path("realm").asText());
    }

    public void deleteRealm(String realm) {
        call("DELETE", "/" + realm, null).expectSuccess("deleting realm " + realm);
    }

    /**
     * Any admin call under {@code /admin/realms}, e.g. {@code get("/my-realm/clients?clientId=app")}: its JSON answer.
     */
    public JsonNode get(String path) {
        return call("GET", path, null).expectSuccess("GET " + path).json();
    }

    /** PUT of a representation under {@code /admin/realms}, e.g. a client changed after creation. */
    public void put(String path, JsonNode body) {
        call("PUT", path, body).expectSuccess("PUT " + path);
    }

    /** POST of a representation under {@code /admin/realms}. */
    public void post(String path, JsonNode body) {
        call("POST", path, body).expectSuccess("POST " + path);
    }

    private KeycloakHttp.Answer call(String method, String path, JsonNode body) {
        return KeycloakHttp.json(method, baseUrl + "/admin/realms" + path, token(), body);
    }

    private String token() {
        return KeycloakHttp.postForm(baseUrl + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", user, "password", password),
                null, null)
                .expectSuccess("the admin token").json().path("access_token").asText();
    }
}
