package io.github.cameltokenrefresh.internal.jose;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A public key as a JWK (RFC 7517, members of RFC 7518 §6), and its thumbprint (RFC 7638): what a DPoP proof's header
 * carries and what a DPoP-bound token's {@code cnf.jkt} names.
 */
public final class PublicJwk {

    private PublicJwk() {
    }

    /** The JWK's required members only, in the lexicographic order RFC 7638 hashes them. */
    public static Map<String, Object> of(PublicKey key) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        if (key instanceof ECPublicKey ec) {
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            if (size != 32) {
                throw new IllegalArgumentException("only P-256 EC keys are supported");
            }
            jwk.put("crv", "P-256");
            jwk.put("kty", "EC");
            jwk.put("x", CompactJws.base64url(unsigned(ec.getW().getAffineX(), size)));
            jwk.put("y", CompactJws.base64url(unsigned(ec.getW().getAffineY(), size)));
        } else if (key instanceof RSAPublicKey rsa) {
            jwk.put("e", CompactJws.base64url(unsigned(rsa.getPublicExponent(), 0)));
            jwk.put("kty", "RSA");
            jwk.put("n", CompactJws.base64url(unsigned(rsa.getModulus(), 0)));
        } else {
            throw new IllegalArgumentException("only RSA and EC public keys are supported");
        }
        return jwk;
    }

    /** The RFC 7638 SHA-256 thumbprint, Base64url. */
    public static String thumbprint(PublicKey key) {
        try {
            byte[] canonical = CompactJws.json(of(key)); // Jackson writes no whitespace, members in insertion order
            return CompactJws.base64url(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** Big-endian without a sign byte; left-padded to {@code size} when size is not 0. */
    private static byte[] unsigned(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (size == 0 || bytes.length == size) {
            return bytes;
        }
        byte[] padded = new byte[size];
        System.arraycopy(bytes, 0, padded, size - bytes.length, bytes.length);
        return padded;
    }
}
