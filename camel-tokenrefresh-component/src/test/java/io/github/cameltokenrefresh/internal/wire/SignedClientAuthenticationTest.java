package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.internal.jose.JwsAlgorithm;
import io.github.cameltokenrefresh.internal.jose.KeyFiles.PrivateKeyEntry;
import io.github.cameltokenrefresh.internal.jose.SigningKey;
import io.github.cameltokenrefresh.internal.jose.TestKeys;
import io.github.cameltokenrefresh.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * private_key_jwt and client_secret_jwt (RFC 7523 §2.2, §3): what each token request carries, verified with the
 * public key; a JWT per call, with a fresh jti, dated by the provider's clock and valid for the configured lifetime.
 */
class SignedClientAuthenticationTest {

    private static final URI TOKEN_URL = URI.create("https://auth.example/realms/r/protocol/openid-connect/token");
    private static final String CLIENT_SECRET = "a-client-secret-of-at-least-32-bytes!";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));

    @Test
    void privateKeyJwtCarriesASignedAssertionAboutTheClientForTheTokenEndpoint() throws Exception {
        PrivateKeyEntry rsa = TestKeys.rsa();
        ClientAuthenticator client = privateKeyJwt(new SigningKey(rsa.key(), JwsAlgorithm.PS256, "k1", rsa.certificate()));

        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        client.authenticate(headers, parameters, secrets);

        assertTrue(headers.isEmpty(), "no Authorization header: the assertion is the proof");
        assertEquals("client-1", parameters.get("client_id"));
        assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", parameters.get("client_assertion_type"));
        SignedJWT jwt = SignedJWT.parse(parameters.get("client_assertion"));
        assertTrue(jwt.verify(new RSASSAVerifier((RSAPublicKey) rsa.certificate().getPublicKey())));
        assertEquals("PS256", jwt.getHeader().getAlgorithm().getName());
        assertEquals("k1", jwt.getHeader().getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("client-1", claims.getIssuer());
        assertEquals("client-1", claims.getSubject());
        assertEquals(List.of(TOKEN_URL.toString()), claims.getAudience());
        assertEquals(clock.instant(), claims.getIssueTime().toInstant());
        assertEquals(clock.instant().plusSeconds(60), claims.getExpirationTime().toInstant());
        assertEquals(List.of(parameters.get("client_assertion")), secrets, "the assertion is scrubbed like a secret");
    }

    @Test
    void everyCallSignsAFreshAssertionDatedByTheProvidersClock() throws Exception {
        PrivateKeyEntry ec = TestKeys.ec();
        ClientAuthenticator client = privateKeyJwt(new SigningKey(ec.key(), JwsAlgorithm.ES256, null, null));
        Set<String> jtis = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            SignedJWT jwt = SignedJWT.parse(assertion(client));
            assertTrue(jwt.verify(new ECDSAVerifier((ECPublicKey) ec.certificate().getPublicKey())));
            assertEquals(clock.instant(), jwt.getJWTClaimsSet().getIssueTime().toInstant());
            assertEquals(clock.instant().plusSeconds(60), jwt.getJWTClaimsSet().getExpirationTime().toInstant());
            assertTrue(jtis.add(jwt.getJWTClaimsSet().getJWTID()), "a jti is never reused");
            assertTrue(jwt.getJWTClaimsSet().getJWTID().length() >= 22, "128 random bits");
            clock.advance(Duration.ofMinutes(7));
        }
    }

    @Test
    void clientSecretJwtIsAnHs256AssertionUnderTheClientSecret() throws Exception {
        byte[] secret = CLIENT_SECRET.getBytes(StandardCharsets.UTF_8);
        ClientAssertion assertion = new ClientAssertion(new SigningKey(new SecretKeySpec(secret, "HmacSHA256"),
                JwsAlgorithm.HS256, null, null), URI.create("https://auth.example/realms/r"), Duration.ofSeconds(30));
        ClientAuthenticator client = ClientAuthenticator.of(ClientAuthentication.client_secret_jwt,
                new ClientCredentials("client-1", CLIENT_SECRET, null), assertion, clock);

        Map<String, String> parameters = new LinkedHashMap<>();
        client.authenticate(new LinkedHashMap<>(), parameters, new ArrayList<>());

        assertFalse(parameters.containsKey("client_secret"), "the secret itself never travels");
        SignedJWT jwt = SignedJWT.parse(parameters.get("client_assertion"));
        assertTrue(jwt.verify(new MACVerifier(secret)));
        assertEquals(List.of("https://auth.example/realms/r"), jwt.getJWTClaimsSet().getAudience());
        assertEquals(clock.instant().plusSeconds(30), jwt.getJWTClaimsSet().getExpirationTime().toInstant());
        assertFalse(client.toString().contains(CLIENT_SECRET));
        assertFalse(client.toString().contains("a-client-secret"));
    }

    @Test
    void tlsClientAuthNamesTheClientAndCarriesNoSecret() {
        for (ClientAuthentication method : List.of(ClientAuthentication.tls_client_auth,
                                                   ClientAuthentication.self_signed_tls_client_auth)) {
            ClientAuthenticator client = ClientAuthenticator.of(method, new ClientCredentials("client-1", null, null),
                                                                null, clock);
            Map<String, String> headers = new LinkedHashMap<>();
            Map<String, String> parameters = new LinkedHashMap<>();
            List<String> secrets = new ArrayList<>();
            client.authenticate(headers, parameters, secrets);
            assertEquals(Map.of("client_id", "client-1"), parameters);
            assertTrue(headers.isEmpty());
            assertTrue(secrets.isEmpty());
            assertTrue(client.identifiesClient());
        }
    }

    private ClientAuthenticator privateKeyJwt(SigningKey key) {
        return ClientAuthenticator.of(ClientAuthentication.private_key_jwt, new ClientCredentials("client-1", null, null),
                                      new ClientAssertion(key, TOKEN_URL, Duration.ofSeconds(60)), clock);
    }

    private static String assertion(ClientAuthenticator client) {
        Map<String, String> parameters = new LinkedHashMap<>();
        client.authenticate(new LinkedHashMap<>(), parameters, new ArrayList<>());
        return parameters.get("client_assertion");
    }
}
