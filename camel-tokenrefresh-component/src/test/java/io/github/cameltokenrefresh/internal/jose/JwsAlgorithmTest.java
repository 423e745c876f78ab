package io.github.cameltokenrefresh.internal.jose;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.github.cameltokenrefresh.internal.jose.KeyFiles.PrivateKeyEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each algorithm signs what a JOSE library (Nimbus, on the test class path only) and the JDK verify with the public
 * key; ES256 gives the 64-byte R||S JWS wants, not the JDK's DER.
 */
class JwsAlgorithmTest {

    private static final Map<String, Object> CLAIMS = Map.of("sub", "client-1");

    @Test
    void rs256IsVerifiedByTheJdkAndByAJoseLibrary() throws Exception {
        PrivateKeyEntry rsa = TestKeys.rsa();
        String jwt = new SigningKey(rsa.key(), JwsAlgorithm.RS256, null, null).sign("JWT", CLAIMS);
        assertTrue(jdkVerifies("SHA256withRSA", null, rsa, jwt));
        assertTrue(joseVerifies(jwt, new RSASSAVerifier((RSAPublicKey) rsa.certificate().getPublicKey())));
    }

    @Test
    void ps256IsVerifiedByTheJdkAndByAJoseLibrary() throws Exception {
        PrivateKeyEntry rsa = TestKeys.rsa();
        String jwt = new SigningKey(rsa.key(), JwsAlgorithm.PS256, null, null).sign("JWT", CLAIMS);
        assertEquals("PS256", SignedJWT.parse(jwt).getHeader().getAlgorithm().getName());
        assertTrue(jdkVerifies("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1),
                               rsa, jwt));
        assertTrue(joseVerifies(jwt, new RSASSAVerifier((RSAPublicKey) rsa.certificate().getPublicKey())));
    }

    @Test
    void es256IsA64ByteRAndSThatAJoseVerifierAccepts() throws Exception {
        PrivateKeyEntry ec = TestKeys.ec();
        for (int i = 0; i < 20; i++) { // R or S with a high bit or a leading zero byte comes up within a few tries
            String jwt = new SigningKey(ec.key(), JwsAlgorithm.ES256, null, null).sign("JWT", Map.of("n", i));
            byte[] signature = Base64.getUrlDecoder().decode(jwt.substring(jwt.lastIndexOf('.') + 1));
            assertEquals(64, signature.length);
            assertTrue(joseVerifies(jwt, new ECDSAVerifier((ECPublicKey) ec.certificate().getPublicKey())));
            Signature jdk = Signature.getInstance("SHA256withECDSA");
            jdk.initVerify(ec.certificate().getPublicKey());
            jdk.update(jwt.substring(0, jwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
            assertTrue(jdk.verify(EcdsaSignatures.concatenatedToDer(signature)));
        }
    }

    @Test
    void hs256IsTheHmacOfTheSecret() throws Exception {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        String jwt = new SigningKey(new SecretKeySpec(secret, "HmacSHA256"), JwsAlgorithm.HS256, null, null)
                .sign("JWT", CLAIMS);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        byte[] expected = mac.doFinal(jwt.substring(0, jwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected, Base64.getUrlDecoder().decode(jwt.substring(jwt.lastIndexOf('.') + 1)));
        assertTrue(joseVerifies(jwt, new MACVerifier(secret)));
    }

    @Test
    void aKeyOfTheWrongTypeIsNamedNotSigned() {
        assertNull(JwsAlgorithm.RS256.misfit(TestKeys.rsa().key()));
        assertNull(JwsAlgorithm.ES256.misfit(TestKeys.ec().key()));
        assertNotNull(JwsAlgorithm.ES256.misfit(TestKeys.rsa().key()));
        assertNotNull(JwsAlgorithm.PS256.misfit(TestKeys.ec().key()));
        assertNotNull(JwsAlgorithm.HS256.misfit(TestKeys.rsa().key()));
        assertEquals(JwsAlgorithm.ES256, JwsAlgorithm.defaultFor(TestKeys.ec().key()));
        assertEquals(JwsAlgorithm.RS256, JwsAlgorithm.defaultFor(TestKeys.rsa().key()));
    }

    @Test
    void theHeaderNamesTheKeyAndTheCertificateThumbprintButToStringShowsNoKey() throws Exception {
        PrivateKeyEntry rsa = TestKeys.rsa();
        SigningKey key = new SigningKey(rsa.key(), JwsAlgorithm.RS256, "key-7", rsa.certificate());
        SignedJWT jwt = SignedJWT.parse(key.sign("JWT", CLAIMS));
        assertEquals("key-7", jwt.getHeader().getKeyID());
        assertEquals(com.nimbusds.jose.util.X509CertUtils.computeSHA256Thumbprint(rsa.certificate()).toString(),
                     jwt.getHeader().getX509CertSHA256Thumbprint().toString());
        String encoded = Base64.getEncoder().encodeToString(rsa.key().getEncoded());
        assertFalse(key.toString().contains(encoded.substring(40, 80)));
        assertFalse(rsa.toString().contains(encoded.substring(40, 80)));
    }

    private static boolean jdkVerifies(String algorithm, PSSParameterSpec pss, PrivateKeyEntry entry, String jwt)
            throws Exception {
        Signature signature = Signature.getInstance(algorithm);
        if (pss != null) {
            signature.setParameter(pss);
        }
        signature.initVerify(entry.certificate().getPublicKey());
        signature.update(jwt.substring(0, jwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(jwt.substring(jwt.lastIndexOf('.') + 1)));
    }

    private static boolean joseVerifies(String jwt, JWSVerifier verifier) throws Exception {
        return SignedJWT.parse(jwt).verify(verifier);
    }
}
