package io.github.cameltokenrefresh.internal.jose;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A JWS in compact serialization (RFC 7515 §7.1): header and claims as JSON, Base64url without padding, signed. */
public final class CompactJws {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private CompactJws() {
    }

    /**
     * @param header with its {@code alg}, which must name {@code algorithm}
     * @throws IllegalStateException when the JDK cannot sign (a key that does not fit was refused at start); the
     *                               message names no key material
     */
    public static String sign(Map<String, Object> header, Map<String, Object> claims, JwsAlgorithm algorithm, Key key) {
        String input = base64url(json(header)) + "." + base64url(json(claims));
        try {
            byte[] signature = algorithm.sign(key, input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64url(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a JWT with " + algorithm + ": " + e.getClass().getSimpleName(), e);
        }
    }

    public static String base64url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    static byte[] json(Map<String, Object> map) {
        try {
            return JSON.writeValueAsBytes(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JWT part as JSON", e);
        }
    }
}
