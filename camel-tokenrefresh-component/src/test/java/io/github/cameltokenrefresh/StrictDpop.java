package io.github.cameltokenrefresh;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;

/**
 * A DPoP server's checks from RFC 9449 §4.3 (one DPoP header, typ dpop+jwt, an asymmetric alg, a public JWK that
 * verifies the signature, htm and htu of this request, iat within a minute, a jti never seen, the nonce when one is
 * required, ath on resource requests) and §8/§9's nonce challenge, for the token endpoint of
 * {@link StrictSigningTokenServer} and a protected resource whose tokens are bound to the key's thumbprint.
 */
final class StrictDpop {

    private final boolean requireNonce;
    private final boolean resourceRequiresNonce;
    private final Set<String> seenJtis = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nonces = new AtomicInteger();
    private volatile String nonce;
    /** The thumbprint of the key the last token request proved: the key the token issued is bound to. */
    private volatile String provedKey;
    final Map<String, String> boundTokens = new ConcurrentHashMap<>();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final AtomicInteger nonceChallenges = new AtomicInteger();

    /**
     * @param requireNonce          the token endpoint requires a nonce (§8)
     * @param resourceRequiresNonce the resource requires one too (§9)
     */
    StrictDpop(boolean requireNonce, boolean resourceRequiresNonce) {
        this.requireNonce = requireNonce;
        this.resourceRequiresNonce = resourceRequiresNonce;
        this.nonce = "nonce-" + nonces.incrementAndGet();
    }

    /** Checks a token request's proof; false when it answered (refused or challenged). */
    boolean tokenRequest(HttpExchange exchange, URI tokenUrl) throws IOException {
        String why = check(exchange, tokenUrl, null, requireNonce);
        if (why == null) {
            return true;
        }
        if (why.equals("nonce")) {
            nonceChallenges.incrementAndGet();
            exchange.getResponseHeaders().set("DPoP-Nonce", nonce);
            StrictSigningTokenServer.answer(exchange, 400, "{\"error\":\"use_dpop_nonce\"}");
        } else {
            refusals.add(why);
            StrictSigningTokenServer.answer(exchange, 400, "{\"error\":\"invalid_dpop_proof\"}");
        }
        return false;
    }

    void bind(String accessToken) {
        boundTokens.put(accessToken, provedKey);
    }

    /** A new nonce, as a server rotates them: the next proofs with the old one are challenged. */
    void rotateNonce() {
        nonce = "nonce-" + nonces.incrementAndGet();
    }

    /** The protected resource (RFC 9449 §7): Authorization: DPoP, a proof of the bound key with ath. */
    void resource(HttpExchange exchange, URI url) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("DPoP ")) {
                refusals.add("resource Authorization " + (authorization == null ? "missing" : "not DPoP"));
                challenge(exchange, "invalid_token");
                return;
            }
            String token = authorization.substring("DPoP ".length());
            String why = check(exchange, url, token, resourceRequiresNonce);
            if ("nonce".equals(why)) {
                nonceChallenges.incrementAndGet();
                exchange.getResponseHeaders().set("DPoP-Nonce", nonce);
                challenge(exchange, "use_dpop_nonce");
            } else if (why != null || !provedKey.equals(boundTokens.get(token))) {
                refusals.add(why != null ? why : "resource proof by another key than the token's");
                challenge(exchange, "invalid_dpop_proof");
            } else {
                StrictSigningTokenServer.answer(exchange, 200, "{\"sub\":\"acme\"}");
            }
        }
    }

    private static void challenge(HttpExchange exchange, String error) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", "DPoP error=\"" + error + "\"");
        StrictSigningTokenServer.answer(exchange, 401, "{}");
    }

    /** Null when the proof is good, "nonce" for a nonce challenge, else why it is refused. */
    private String check(HttpExchange exchange, URI url, String accessToken, boolean nonceRequired) {
        List<String> headers = exchange.getRequestHeaders().get("DPoP");
        if (headers == null || headers.size() != 1) {
            return "not exactly one DPoP header";
        }
        try {
            SignedJWT proof = SignedJWT.parse(headers.get(0));
            JWK jwk = proof.getHeader().getJWK();
            if (!new JOSEObjectType("dpop+jwt").equals(proof.getHeader().getType()) || jwk == null || jwk.isPrivate()
                || proof.getHeader().getAlgorithm().getName().startsWith("HS")) {
                return "DPoP header: typ, alg or jwk";
            }
            boolean verified = jwk instanceof ECKey ec ? proof.verify(new ECDSAVerifier(ec))
                    : proof.verify(new RSASSAVerifier((RSAKey) jwk));
            JWTClaimsSet claims = proof.getJWTClaimsSet();
            String htu = url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
            long age = Instant.now().getEpochSecond() - claims.getIssueTime().toInstant().getEpochSecond();
            if (!verified || !exchange.getRequestMethod().equals(claims.getStringClaim("htm"))
                || !htu.equals(claims.getStringClaim("htu")) || Math.abs(age) > 60) {
                return "DPoP proof: signature, htm, htu or iat";
            }
            if (claims.getJWTID() == null || !seenJtis.add(claims.getJWTID())) {
                return "DPoP jti missing or replayed";
            }
            if (accessToken != null && !ath(accessToken).equals(claims.getStringClaim("ath"))) {
                return "DPoP ath";
            }
            if (nonceRequired && !nonce.equals(claims.getStringClaim("nonce"))) {
                return "nonce";
            }
            provedKey = jwk.computeThumbprint().toString();
            return null;
        } catch (Exception e) {
            return "DPoP proof unreadable: " + e;
        }
    }

    private static String ath(String accessToken) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
    }
}
