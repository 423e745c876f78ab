package io.github.cameltokenrefresh.internal.jose;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The JWS algorithms (RFC 7518 §3) the component signs with, each with the JDK's own {@link Signature} or {@link Mac}:
 * no JOSE library. ES256 turns the JDK's DER signature into the fixed 64-byte R||S JWS wants (RFC 7518 §3.4).
 */
public enum JwsAlgorithm {
    RS256,
    PS256,
    ES256,
    HS256;

    /** The signature of {@code input} with {@code key}, as it goes into a compact JWS. */
    public byte[] sign(Key key, byte[] input) throws GeneralSecurityException {
        switch (this) {
            case HS256:
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac.doFinal(input);
            case ES256:
                return EcdsaSignatures.derToConcatenated(signature("SHA256withECDSA", null, key, input), 32);
            case PS256:
                return signature("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1),
                                 key, input);
            default:
                return signature("SHA256withRSA", null, key, input);
        }
    }

    /** Whether {@code key} is of the type this algorithm signs with; null when it fits, else why not. */
    public String misfit(Key key) {
        switch (this) {
            case HS256:
                return key instanceof SecretKey ? null : "HS256 signs with a shared secret, not a private key";
            case ES256:
                if (!(key instanceof PrivateKey && key instanceof ECKey ec)) {
                    return "ES256 needs an EC private key";
                }
                return ec.getParams().getCurve().getField().getFieldSize() == 256 ? null
                        : "ES256 needs a key on curve P-256";
            default:
                if (!(key instanceof PrivateKey && key instanceof RSAKey rsa)) {
                    return this + " needs an RSA private key";
                }
                return rsa.getModulus().bitLength() >= 2048 ? null : this + " needs an RSA key of at least 2048 bits"
                                                                     + " (RFC 7518 section 3.3)";
        }
    }

    /** The algorithm a private key signs with unless one is configured: RS256 for RSA, ES256 for EC. */
    public static JwsAlgorithm defaultFor(Key key) {
        return key instanceof ECKey ? ES256 : RS256;
    }

    private static byte[] signature(String name, PSSParameterSpec pss, Key key, byte[] input)
            throws GeneralSecurityException {
        Signature signature = Signature.getInstance(name);
        if (pss != null) {
            signature.setParameter(pss);
        }
        signature.initSign((PrivateKey) key);
        signature.update(input);
        return signature.sign();
    }
}
