package io.github.cameltokenrefresh.internal.jose;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A key that signs the client's JWTs (client assertions, JWT bearer assertions): the private key (or the client
 * secret's HMAC key), its algorithm, its optional {@code kid} and X.509 certificate. {@link #toString()} never shows
 * the key.
 *
 * @param keyId       the header's {@code kid}, or null
 * @param certificate the key's certificate, or null: when given, the header carries its SHA-256 thumbprint
 *                    ({@code x5t#S256}, RFC 7515 §4.1.8), as Microsoft's certificate credentials want
 */
public record SigningKey(Key key, JwsAlgorithm algorithm, String keyId, X509Certificate certificate) {

    public SigningKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** A signed JWT of these claims: header {@code alg}, {@code typ} when given, {@code kid}, {@code x5t#S256}. */
    public String sign(String type, Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algorithm.name());
        if (type != null) {
            header.put("typ", type);
        }
        if (keyId != null) {
            header.put("kid", keyId);
        }
        if (certificate != null) {
            header.put("x5t#S256", thumbprint(certificate));
        }
        return CompactJws.sign(header, claims, algorithm, key);
    }

    /** The Base64url SHA-256 of a certificate's DER encoding: {@code x5t#S256} and RFC 8705's {@code cnf}. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return CompactJws.base64url(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hash a certificate", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + algorithm + (keyId == null ? "" : ", kid=" + keyId)
               + (certificate == null ? "" : ", x5t#S256=" + thumbprint(certificate)) + "]";
    }
}
