package io.github.cameltokenrefresh.internal.authorize;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The {@code state} of an authorization link: provider, account, expiry and a random nonce, signed with HMAC-SHA256.
 * The PKCE verifier is derived from the key and the nonce, so it never travels and needs no storage: only who holds
 * the key can compute it, and only the challenge (its hash) is in the link.
 */
final class SignedState {

    /** What a valid state says. */
    record Claims(String provider, String account, Instant expiresAt, String nonce) {
    }

    /** A state that must not be honoured; the message says why and holds nothing secret. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String STATE_DOMAIN = "tokenrefresh-state-v1.";
    private static final String VERIFIER_DOMAIN = "tokenrefresh-pkce-v1.";

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SignedState(SecretKey key) {
        this.key = key;
    }

    /** A new state for the account, valid until {@code expiresAt}. */
    String issue(String provider, String account, Instant expiresAt) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String payload = encode(provider) + "." + encode(account) + "." + expiresAt.getEpochSecond() + "."
                         + B64.encodeToString(nonce);
        return payload + "." + B64.encodeToString(mac(STATE_DOMAIN + payload));
    }

    /** The claims of a state this key signed; neither expiry nor reuse is checked here. */
    Claims verify(String state) throws Refused {
        if (state == null || state.isBlank()) {
            throw new Refused("the callback carries no state");
        }
        int lastDot = state.lastIndexOf('.');
        String[] parts = state.split("\\.", -1);
        if (parts.length != 5 || lastDot < 0) {
            throw new Refused("the state is malformed");
        }
        byte[] signature;
        try {
            signature = B64D.decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new Refused("the state is malformed");
        }
        if (!MessageDigest.isEqual(signature, mac(STATE_DOMAIN + state.substring(0, lastDot)))) {
            throw new Refused("the state's signature does not match (tampered, or signed with another stateSecret)");
        }
        try {
            return new Claims(decode(parts[0]), decode(parts[1]), Instant.ofEpochSecond(Long.parseLong(parts[2])),
                              parts[3]);
        } catch (IllegalArgumentException e) {
            throw new Refused("the state is malformed");
        }
    }

    /** The PKCE code_verifier of a nonce (RFC 7636 §4.1: 43 characters of base64url). */
    String verifier(String nonce) {
        return B64.encodeToString(mac(VERIFIER_DOMAIN + nonce));
    }

    /** The S256 code_challenge of a verifier (RFC 7636 §4.2). */
    static String challenge(String verifier) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String encode(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(B64D.decode(s), StandardCharsets.UTF_8);
    }
}
