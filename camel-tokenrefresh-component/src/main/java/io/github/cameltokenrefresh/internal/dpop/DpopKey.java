package io.github.cameltokenrefresh.internal.dpop;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;

import io.github.cameltokenrefresh.internal.jose.JwsAlgorithm;
import io.github.cameltokenrefresh.internal.jose.PublicJwk;

/**
 * The key pair a provider's DPoP proofs are signed with (RFC 9449 §2): configured from a keystore (it outlives a
 * restart, and so do the tokens bound to it) or made at start (in memory only: tokens bound to it are useless to the
 * next process). {@link #toString()} shows the public thumbprint only.
 *
 * @param persistent whether the key comes from a keystore, so tokens bound to it survive a restart
 */
public record DpopKey(PrivateKey privateKey, PublicKey publicKey, JwsAlgorithm algorithm, boolean persistent) {

    public DpopKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** A new EC P-256 key, ES256: the algorithm every DPoP server supports and the cheapest to sign with. */
    public static DpopKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new DpopKey(pair.getPrivate(), pair.getPublic(), JwsAlgorithm.ES256, false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make an EC P-256 key", e);
        }
    }

    /** The RFC 7638 thumbprint of the public key: what a bound token's {@code cnf.jkt} says. */
    public String thumbprint() {
        return PublicJwk.thumbprint(publicKey);
    }

    @Override
    public String toString() {
        return "DpopKey[" + algorithm + ", jkt=" + thumbprint() + (persistent ? ", from keystore" : ", in memory") + "]";
    }
}
