package io.github.cameltokenrefresh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;
import io.github.cameltokenrefresh.internal.jose.TestKeys;
import io.github.cameltokenrefresh.testing.LogCapture;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * private_key_jwt, client_secret_jwt and the JWT bearer grant through Camel HTTP against
 * {@link StrictSigningTokenServer}, which verifies each JWT as RFC 7523 §3 says and refuses a replayed jti: two token
 * calls in a row succeed only because each signs a new assertion.
 */
class SignedClientAuthenticationIT extends SigningServerSupport {

    private static final String CLIENT_SECRET = "client-secret-long-enough-for-hs256-0123456789";

    @Test
    void privateKeyJwtPs256FromAKeystoreRefreshesTwiceWithFreshAssertions() throws Exception {
        server = StrictSigningTokenServer.http();
        server.register("client-1", TestKeys.rsa().certificate().getPublicKey());

        start("&clientAuthentication=private_key_jwt&clientId=client-1&signingKeystore="
              + TestKeys.file("client-rsa.p12") + "&signingKeystorePassword=" + TestKeys.PASSWORD
              + "&signingAlgorithm=PS256&signingKeyId=key-1&refreshToken=rt-0");

        assertEquals("Bearer at-1", call("decorate"));
        assertEquals("Bearer at-2", call("refresh"));
        assertTrue(server.refusals.isEmpty(), () -> "refused: " + server.refusals);
        SignedJWT first = SignedJWT.parse(server.accepted.get(0).get("client_assertion"));
        SignedJWT second = SignedJWT.parse(server.accepted.get(1).get("client_assertion"));
        assertEquals("PS256", first.getHeader().getAlgorithm().getName());
        assertEquals("key-1", first.getHeader().getKeyID());
        assertNotEquals(first.getJWTClaimsSet().getJWTID(), second.getJWTClaimsSet().getJWTID());
    }

    @Test
    void privateKeyJwtFromPemFilesCarriesTheCertificateThumbprint() throws Exception {
        server = StrictSigningTokenServer.http();
        server.register("client-1", TestKeys.rsa().certificate().getPublicKey());

        start("&clientAuthentication=private_key_jwt&clientId=client-1&signingKeyFile=" + TestKeys.file("client-rsa.key.pem")
              + "&signingCertificateFile=" + TestKeys.file("client-rsa.cert.pem") + "&refreshToken=rt-0");

        assertEquals("Bearer at-1", call("decorate"));
        SignedJWT jwt = SignedJWT.parse(server.accepted.get(0).get("client_assertion"));
        assertEquals("RS256", jwt.getHeader().getAlgorithm().getName());
        assertEquals(X509CertUtils.computeSHA256Thumbprint(TestKeys.rsa().certificate()),
                     jwt.getHeader().getX509CertSHA256Thumbprint());
    }

    @Test
    void privateKeyJwtEs256() throws Exception {
        server = StrictSigningTokenServer.http();
        server.register("client-1", TestKeys.ec().certificate().getPublicKey());

        start("&clientAuthentication=private_key_jwt&clientId=client-1&signingKeystore=" + TestKeys.file("client-ec.p12")
              + "&signingKeystorePassword=" + TestKeys.PASSWORD + "&refreshToken=rt-0");

        assertEquals("Bearer at-1", call("decorate"));
        assertEquals("Bearer at-2", call("refresh"));
        assertTrue(server.refusals.isEmpty(), () -> "refused: " + server.refusals);
    }

    @Test
    void aKeyTheServerDoesNotKnowIsInvalidClient() throws Exception {
        server = StrictSigningTokenServer.http();
        server.register("client-1", TestKeys.ec().certificate().getPublicKey());

        start("&clientAuthentication=private_key_jwt&clientId=client-1&signingKeystore=" + TestKeys.file("client-rsa.p12")
              + "&signingKeystorePassword=" + TestKeys.PASSWORD + "&refreshToken=rt-0");

        Exception e = assertThrows(Exception.class, () -> call("decorate"));
        assertTrue(TestContexts.messages(e).contains("invalid_client"), TestContexts.messages(e));
        assertFalse(server.refusals.isEmpty());
    }

    @Test
    void clientSecretJwtNeverSendsTheSecret() throws Exception {
        server = StrictSigningTokenServer.http();
        server.register("client-1", CLIENT_SECRET.getBytes(StandardCharsets.UTF_8));

        start("&clientAuthentication=client_secret_jwt&clientId=client-1&clientSecret=" + CLIENT_SECRET
              + "&refreshToken=rt-0");

        assertEquals("Bearer at-1", call("decorate"));
        assertEquals("Bearer at-2", call("refresh"));
        for (Map<String, String> form : server.accepted) {
            assertFalse(form.containsValue(CLIENT_SECRET));
            assertFalse(form.containsKey("client_secret"));
        }
        assertEquals("HS256", SignedJWT.parse(server.accepted.get(0).get("client_assertion")).getHeader().getAlgorithm()
                .getName());
    }

    @Test
    void theJwtBearerGrantGetsATokenWithoutARefreshTokenForEachAccount() throws Exception {
        server = StrictSigningTokenServer.http();
        server.register("client-1", TestKeys.ec().certificate().getPublicKey());
        server.jwtBearerIssuer = "svc@example.iam";
        server.jwtBearerKey = TestKeys.ec().certificate().getPublicKey(); // one signing key for both JWTs

        start("&clientAuthentication=private_key_jwt&clientId=client-1&signingKeystore=" + TestKeys.file("client-ec.p12")
              + "&signingKeystorePassword=" + TestKeys.PASSWORD + "&fallbackGrant=jwt_bearer&jwtBearerIssuer=svc@example.iam"
              + "&jwtBearerScope=api");

        assertEquals("Bearer at-1", call("decorate"));
        assertEquals("Bearer at-2", callAs("refresh", "bob"));
        assertTrue(server.refusals.isEmpty(), () -> "refused: " + server.refusals);
        SignedJWT alice = SignedJWT.parse(server.accepted.get(0).get("assertion"));
        SignedJWT bob = SignedJWT.parse(server.accepted.get(1).get("assertion"));
        assertEquals("default", alice.getJWTClaimsSet().getSubject());
        assertEquals("bob", bob.getJWTClaimsSet().getSubject());
        assertEquals("api", server.accepted.get(0).get("scope"));
    }

    @Test
    void noSecretReachesTheLogEvenAtTrace() throws Exception {
        server = StrictSigningTokenServer.http();
        server.register("client-1", CLIENT_SECRET.getBytes(StandardCharsets.UTF_8));
        server.jwtBearerIssuer = "client-1";
        server.jwtBearerKey = TestKeys.rsa().certificate().getPublicKey();
        String log;
        try (LogCapture capture = new LogCapture()) {
            // secrets on the component, not in the URI, which Camel logs verbatim at TRACE (docs/security.md)
            context = TestContexts.context(dir.resolve("store"));
            TestContexts.component(context).getConfiguration().setClientSecret(CLIENT_SECRET);
            TestContexts.component(context).getConfiguration().setSigningKeystorePassword(TestKeys.PASSWORD);
            TestContexts.addRoute(context, "direct:call", "tokenrefresh:p?insecureHttp=true&tokenUrl=" + server.tokenUrl()
                                  + "&clientAuthentication=client_secret_jwt&clientId=client-1&fallbackGrant=jwt_bearer"
                                  + "&signingKeystore=" + TestKeys.file("client-rsa.p12") + "&dpop=true");
            context.start();
            assertEquals("Bearer at-1", call("decorate"));
            log = capture.text();
        }
        assertTrue(server.refusals.isEmpty(), () -> "refused: " + server.refusals);
        assertFalse(log.isEmpty(), "the capture saw the run");
        List<String> secrets = new ArrayList<>(List.of(CLIENT_SECRET, TestKeys.PASSWORD, "at-1",
                Base64.getEncoder().encodeToString(TestKeys.rsa().key().getEncoded()).substring(100, 140)));
        secrets.add(server.accepted.get(0).get("client_assertion"));
        secrets.add(server.accepted.get(0).get("assertion"));
        for (String secret : secrets) {
            assertFalse(log.contains(secret), () -> "a secret in the log: " + secret.substring(0, 4) + "...");
        }
    }

    private void start(String options) throws Exception {
        context = TestContexts.context(dir.resolve("store"));
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:p?insecureHttp=true&tokenUrl=" + server.tokenUrl()
                                                      + options);
        context.start();
    }

    private String call(String operation) throws Exception {
        return callAs(operation, "default");
    }

    private String callAs(String operation, String account) throws Exception {
        Exchange exchange = context.createProducerTemplate().request("direct:call", e -> {
            e.getMessage().setHeader(TokenRefreshConstants.OPERATION, operation);
            e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, account);
        });
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return exchange.getMessage().getHeader("Authorization", String.class);
    }
}
