package io.github.cameltokenrefresh.testing.keycloak;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A realm representation (Keycloak's {@code RealmRepresentation} as JSON) with a unique name, made at runtime so every
 * test has realms of its own on the shared server. What the token tests need is a method; anything else is
 * {@link #set} or the {@code customize} argument of a client.
 */
public final class RealmBuilder {

    private final ObjectNode realm = KeycloakHttp.JSON.createObjectNode();
    private final ArrayNode clients = realm.putArray("clients");
    private final ArrayNode users = realm.putArray("users");

    private RealmBuilder(String name) {
        realm.put("realm", name).put("enabled", true);
    }

    /** A realm named {@code <prefix>-<random>} (lower case), so runs and tests never collide. */
    public static RealmBuilder named(String prefix) {
        return new RealmBuilder((prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT));
    }

    /** Refresh token rotation, as strict as it goes: a used refresh token is refused ({@code refreshTokenMaxReuse: 0}). */
    public RealmBuilder rotation() {
        realm.put("revokeRefreshToken", true).put("refreshTokenMaxReuse", 0);
        return this;
    }

    public RealmBuilder accessTokenLifespan(Duration lifespan) {
        realm.put("accessTokenLifespan", (int) lifespan.toSeconds());
        return this;
    }

    /** Any other realm attribute, e.g. {@code set("ssoSessionIdleTimeout", 600)}. */
    public RealmBuilder set(String field, Object value) {
        realm.set(field, KeycloakHttp.JSON.valueToTree(value));
        return this;
    }

    /**
     * A confidential client authenticating with its secret (client_secret_basic or _post), allowed the password grant
     * (direct access) and the authorization code flow to any loopback redirect.
     */
    public RealmBuilder confidentialClient(String clientId, String secret) {
        return confidentialClient(clientId, secret, client -> {
        });
    }

    /** The same, changed by {@code customize} (e.g. {@code client.putObject("attributes").put(...)}) before creation. */
    public RealmBuilder confidentialClient(String clientId, String secret, Consumer<ObjectNode> customize) {
        ObjectNode client = clients.addObject()
                .put("clientId", clientId)
                .put("enabled", true)
                .put("publicClient", false)
                .put("clientAuthenticatorType", "client-secret")
                .put("secret", secret)
                .put("standardFlowEnabled", true)
                .put("directAccessGrantsEnabled", true)
                .put("consentRequired", false);
        client.putArray("redirectUris").add("http://127.0.0.1/*").add("http://localhost/*");
        customize.accept(client);
        return this;
    }

    /** A user who may sign in with {@code password} at once (verified, no required actions). */
    public RealmBuilder user(String username, String password) {
        ObjectNode user = users.addObject()
                .put("username", username)
                .put("enabled", true)
                .put("email", username + "@example.com")
                .put("emailVerified", true)
                .put("firstName", username)
                .put("lastName", "Test");
        user.putArray("credentials").addObject().put("type", "password").put("value", password).put("temporary", false);
        return this;
    }

    public String name() {
        return realm.path("realm").asText();
    }

    /** The representation as it would be sent (a copy). */
    public ObjectNode representation() {
        return realm.deepCopy();
    }

    /** Creates the realm on {@code server}. */
    public KeycloakRealm create(KeycloakServer server) {
        server.admin().createRealm(realm);
        return new KeycloakRealm(server, name());
    }
}
