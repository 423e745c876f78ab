package io.github.cameltokenrefresh.internal.dpop;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.cameltokenrefresh.internal.jose.JwsAlgorithm;
import io.github.cameltokenrefresh.internal.jose.KeyFiles.PrivateKeyEntry;
import io.github.cameltokenrefresh.internal.jose.TestKeys;
import io.github.cameltokenrefresh.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DPoP proofs as RFC 9449 §4.2 and §4.3 check them, verified with the public JWK in the proof's own header by a JOSE
 * library: type, method, URL without query and fragment, time, a fresh jti, ath on resource requests, the nonce.
 */
class DpopProofsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));

    @Test
    void aTokenRequestProofIsSignedByTheKeyInItsHeader() throws Exception {
        DpopKey key = DpopKey.generate();
        DpopProofs proofs = new DpopProofs(key, clock);

        SignedJWT proof = SignedJWT.parse(proofs.proof("post", URI.create("https://AS.example:8443/token?x=1#f"), null));

        assertEquals(new JOSEObjectType("dpop+jwt"), proof.getHeader().getType());
        assertEquals("ES256", proof.getHeader().getAlgorithm().getName());
        JWK jwk = proof.getHeader().getJWK();
        assertFalse(jwk.isPrivate(), "only the public key travels");
        assertTrue(proof.verify(new ECDSAVerifier((ECKey) jwk)));
        assertEquals(key.thumbprint(), jwk.computeThumbprint().toString(), "RFC 7638 thumbprint: the token's cnf.jkt");
        JWTClaimsSet claims = proof.getJWTClaimsSet();
        assertEquals("POST", claims.getStringClaim("htm"));
        assertEquals("https://as.example:8443/token", claims.getStringClaim("htu"));
        assertEquals(clock.instant(), claims.getIssueTime().toInstant());
        assertNull(claims.getClaim("ath"));
        assertNull(claims.getClaim("nonce"));
    }

    @Test
    void aResourceRequestProofIsBoundToTheAccessTokenAndFreshEachTime() throws Exception {
        DpopProofs proofs = new DpopProofs(DpopKey.generate(), clock);
        DpopPresentation presentation = new DpopPresentation(proofs);
        Set<String> jtis = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Map<String, String> headers = presentation.headers("GET", URI.create("https://api.example/v1/me?q=1"), "at-1");
            assertEquals("DPoP at-1", headers.get("Authorization"));
            JWTClaimsSet claims = SignedJWT.parse(headers.get("DPoP")).getJWTClaimsSet();
            assertEquals(sha256("at-1"), claims.getStringClaim("ath"));
            assertEquals("https://api.example/v1/me", claims.getStringClaim("htu"));
            assertEquals("GET", claims.getStringClaim("htm"));
            assertEquals(clock.instant(), claims.getIssueTime().toInstant());
            assertTrue(jtis.add(claims.getJWTID()));
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void aNonceIsKeptPerOriginAndAChallengeIsRetriedOnlyForANewOne() throws Exception {
        DpopProofs proofs = new DpopProofs(DpopKey.generate(), clock);
        DpopPresentation presentation = new DpopPresentation(proofs);
        URI api = URI.create("https://api.example/v1/me");

        assertTrue(presentation.nonceChallenge(api, "DPoP error=\"use_dpop_nonce\"", "n-1"));
        assertFalse(presentation.nonceChallenge(api, "DPoP error=\"use_dpop_nonce\"", "n-1"), "the same nonce again");
        assertFalse(presentation.nonceChallenge(api, "DPoP error=\"invalid_token\"", "n-2"), "not a nonce challenge");

        assertEquals("n-1", SignedJWT.parse(proofs.proof("GET", URI.create("https://api.example/other"), "t"))
                .getJWTClaimsSet().getStringClaim("nonce"));
        assertNull(SignedJWT.parse(proofs.proof("POST", URI.create("https://as.example/token"), null))
                .getJWTClaimsSet().getClaim("nonce"), "another server's nonce is its own");
    }

    @Test
    void aKeystoreRsaKeySignsRs256() throws Exception {
        PrivateKeyEntry rsa = TestKeys.rsa();
        DpopKey key = new DpopKey(rsa.key(), rsa.certificate().getPublicKey(), JwsAlgorithm.RS256, true);
        SignedJWT proof = SignedJWT.parse(new DpopProofs(key, clock).proof("POST", URI.create("https://a/t"), null));
        assertTrue(proof.verify(new RSASSAVerifier((RSAKey) proof.getHeader().getJWK())));
        assertEquals(key.thumbprint(), proof.getHeader().getJWK().computeThumbprint().toString());
        assertFalse(key.toString().contains(Base64.getEncoder().encodeToString(rsa.key().getEncoded()).substring(40, 80)));
    }

    private static String sha256(String value) throws Exception {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
    }
}
