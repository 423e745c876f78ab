package io.github.cameltokenrefresh.keycloak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshConstants;
import io.github.cameltokenrefresh.internal.RunningProviders;
import io.github.cameltokenrefresh.internal.dpop.DpopPresentation;
import io.github.cameltokenrefresh.internal.jose.TestKeys;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakExtension;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakRealm;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakServer;
import io.github.cameltokenrefresh.testing.keycloak.RealmBuilder;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Signed client authentication and DPoP against a real Keycloak: a client whose registered certificate verifies its
 * private_key_jwt assertions (PS256 and ES256), a client_secret_jwt client, and a client that requires DPoP-bound
 * tokens, whose token works on Keycloak's userinfo only with a DPoP proof. Each provider gets its token with the
 * client credentials grant (Keycloak's service account), twice: Keycloak refuses a client assertion's jti twice.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakSignedClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "client-secret-jwt-key-of-more-than-32-bytes-4711";

    @TempDir
    Path storeDir;

    private DefaultCamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void privateKeyJwtWithTheRegisteredCertificate(KeycloakServer keycloak) throws Exception {
        String rsaCertificate = Base64.getEncoder().encodeToString(TestKeys.rsa().certificate().getEncoded());
        String ecCertificate = Base64.getEncoder().encodeToString(TestKeys.ec().certificate().getEncoded());
        KeycloakRealm realm = RealmBuilder.named("pkjwt")
                .confidentialClient("rsa-client", "unused", client -> signedBy(client, "client-jwt", rsaCertificate))
                .confidentialClient("ec-client", "unused", client -> signedBy(client, "client-jwt", ecCertificate))
                .create(keycloak);
        start("rsa", realm, "&clientAuthentication=private_key_jwt&clientId=rsa-client&signingKeystore="
                            + TestKeys.file("client-rsa.p12") + "&signingKeystorePassword=" + TestKeys.PASSWORD
                            + "&signingAlgorithm=PS256");
        addProvider("ec", realm, "&clientAuthentication=private_key_jwt&clientId=ec-client&signingKeystore="
                                 + TestKeys.file("client-ec.p12") + "&signingKeystorePassword=" + TestKeys.PASSWORD);

        for (String provider : new String[] { "rsa", "ec" }) {
            String first = token(provider);
            String second = token(provider);
            assertNotEquals(first, second, "a second token call, with a new assertion");
            assertEquals(200, userinfo(realm, "Bearer " + second, null).statusCode());
        }
    }

    @Test
    void clientSecretJwt(KeycloakServer keycloak) throws Exception {
        KeycloakRealm realm = RealmBuilder.named("csjwt")
                .confidentialClient("app", SECRET, client -> signedBy(client, "client-secret-jwt", null))
                .create(keycloak);
        start("app", realm, "&clientAuthentication=client_secret_jwt&clientId=app&clientSecret=RAW(" + SECRET + ")");

        String first = token("app");
        assertNotEquals(first, token("app"));
        assertEquals(200, userinfo(realm, "Bearer " + first, null).statusCode());
    }

    @Test
    void dpopBoundTokensWorkOnUserinfoOnlyWithAProof(KeycloakServer keycloak) throws Exception {
        KeycloakRealm realm = RealmBuilder.named("dpop")
                .confidentialClient("app", SECRET, client -> {
                    signedBy(client, "client-secret", null);
                    ((ObjectNode) client.get("attributes")).put("dpop.bound.access.tokens", "true");
                })
                .create(keycloak);
        start("app", realm, "&clientId=app&clientSecret=RAW(" + SECRET + ")&dpop=true");

        Exchange answer = context.createProducerTemplate().request("direct:app", e -> {
            e.getMessage().setHeader(TokenRefreshConstants.OPERATION, "token");
        });
        assertNull(answer.getException());
        assertEquals("DPoP", answer.getMessage().getHeader(TokenRefreshConstants.TOKEN_TYPE));
        String token = answer.getMessage().getBody(String.class);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        DpopPresentation presentation = RunningProviders.find(context).byName().get("app").dpopPresentation();
        assertEquals(presentation.toString().replaceAll(".*jkt=([^,\\]]*).*", "$1"), claims.path("cnf").path("jkt").asText(),
                     "Keycloak bound the token to the provider's key");

        URI userinfo = URI.create(realm.userinfoUrl());
        Map<String, String> headers = presentation.headers("GET", userinfo, token);
        HttpResponse<String> withProof = userinfo(realm, headers.get("Authorization"), headers.get("DPoP"));
        if (withProof.statusCode() == 401 && presentation.nonceChallenge(userinfo,
                withProof.headers().firstValue("WWW-Authenticate").orElse(null),
                withProof.headers().firstValue("DPoP-Nonce").orElse(null))) {
            headers = presentation.headers("GET", userinfo, token);
            withProof = userinfo(realm, headers.get("Authorization"), headers.get("DPoP"));
        }
        assertEquals(200, withProof.statusCode(), withProof::body);
        assertEquals(401, userinfo(realm, "Bearer " + token, null).statusCode(), "a bound token is not a bearer token");
    }

    /** A client of the service account (client credentials) that authenticates with {@code authenticator}. */
    private static void signedBy(ObjectNode client, String authenticator, String certificate) {
        client.put("clientAuthenticatorType", authenticator).put("serviceAccountsEnabled", true);
        ObjectNode attributes = client.putObject("attributes");
        if (certificate != null) {
            attributes.put("use.jwks.url", "false").put("jwt.credential.certificate", certificate);
        }
    }

    private void start(String provider, KeycloakRealm realm, String options) throws Exception {
        context = TestContexts.context(storeDir);
        addProvider(provider, realm, options);
        context.start();
    }

    private void addProvider(String provider, KeycloakRealm realm, String options) throws Exception {
        TestContexts.addRoute(context, "direct:" + provider, "tokenrefresh:" + provider + "?tokenUrl=" + realm.tokenUrl()
                                                              + "&insecureHttp=true&fallbackGrant=client_credentials"
                                                              + "&param.scope=openid" + options);
    }

    /** A new token: the client credentials grant each time (Keycloak issues no refresh token with it). */
    private String token(String provider) throws Exception {
        Exchange answer = context.createProducerTemplate().request("direct:" + provider, e -> {
            e.getMessage().setHeader(TokenRefreshConstants.OPERATION, "refresh");
        });
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer.getMessage().getHeader("Authorization", String.class).substring("Bearer ".length());
    }

    private static HttpResponse<String> userinfo(KeycloakRealm realm, String authorization, String proof)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm.userinfoUrl())).GET()
                .header("Authorization", authorization);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
