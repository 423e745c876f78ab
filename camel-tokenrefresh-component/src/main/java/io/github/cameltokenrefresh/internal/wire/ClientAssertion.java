package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.cameltokenrefresh.internal.jose.SigningKey;

/**
 * How the client signs the JWTs it presents (RFC 7523): the key, the audience ({@code aud}: the token endpoint
 * unless configured) and how long each JWT is valid. A JWT is made per call, with a fresh random {@code jti}, so a
 * captured one is useless within seconds and never replayable where the server remembers {@code jti}s.
 */
public record ClientAssertion(SigningKey key, URI audience, Duration lifetime) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public ClientAssertion {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(lifetime, "lifetime");
    }

    /** A signed JWT with these issuer and subject, issued at {@code now}, and the extra claims. */
    public String sign(String issuer, String subject, Instant now, Map<String, Object> extra) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience.toString());
        claims.put("jti", randomId());
        long issuedAt = now.getEpochSecond();
        claims.put("iat", issuedAt);
        claims.put("exp", issuedAt + Math.max(1, lifetime.toSeconds()));
        claims.putAll(extra);
        return key.sign("JWT", claims);
    }

    /** 128 random bits, Base64url: a {@code jti} no two JWTs share. */
    public static String randomId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "ClientAssertion[" + key + ", aud=" + audience + ", lifetime=" + lifetime + "]";
    }
}
