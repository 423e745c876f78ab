package io.github.cameltokenrefresh.internal.dpop;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.internal.jose.CompactJws;
import io.github.cameltokenrefresh.internal.jose.PublicJwk;
import io.github.cameltokenrefresh.internal.wire.ClientAssertion;

/**
 * Makes the DPoP proofs of one provider (RFC 9449 §4): a JWT of type {@code dpop+jwt} signed with the provider's
 * {@link DpopKey}, its public JWK in the header, the request's method ({@code htm}) and URL without query and fragment
 * ({@code htu}), when ({@code iat}), a fresh {@code jti}, the access token's hash ({@code ath}) on resource requests
 * and the server's latest nonce. The nonces a server handed out (a {@code DPoP-Nonce} header) are kept per origin
 * (scheme, host, port): the token endpoint's and each API's are their own (§8, §9).
 */
public final class DpopProofs {

    /** The most origins whose nonce is kept: a bound on memory, not a limit anyone meets. */
    private static final int MAX_ORIGINS = 1000;

    private final DpopKey key;
    private final Clock clock;
    private final Map<String, Object> header;
    private final Map<String, String> nonces = new ConcurrentHashMap<>();

    public DpopProofs(DpopKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("typ", "dpop+jwt");
        h.put("alg", key.algorithm().name());
        h.put("jwk", PublicJwk.of(key.publicKey()));
        this.header = Collections.unmodifiableMap(h);
    }

    public DpopKey key() {
        return key;
    }

    /**
     * A proof for one request.
     *
     * @param accessToken the access token the request presents, or null (a token request)
     */
    public String proof(String method, URI url, String accessToken) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", ClientAssertion.randomId());
        claims.put("htm", method.toUpperCase(Locale.ROOT));
        claims.put("htu", htu(url));
        claims.put("iat", clock.instant().getEpochSecond());
        if (accessToken != null) {
            claims.put("ath", accessTokenHash(accessToken));
        }
        String nonce = nonces.get(origin(url));
        if (nonce != null) {
            claims.put("nonce", nonce);
        }
        return CompactJws.sign(header, claims, key.algorithm(), key.privateKey());
    }

    /**
     * Keeps the nonce a server sent ({@code DPoP-Nonce}) for the next proofs to its origin.
     *
     * @return whether it differs from the one kept: only then is a {@code use_dpop_nonce} refusal worth a retry
     */
    public boolean nonce(URI url, String nonce) {
        if (nonce == null || nonce.isBlank()) {
            return false;
        }
        String origin = origin(url);
        if (nonces.size() >= MAX_ORIGINS && !nonces.containsKey(origin)) {
            nonces.clear();
        }
        return !nonce.equals(nonces.put(origin, nonce.trim()));
    }

    /** The URL as {@code htu} wants it: without query and fragment (RFC 9449 §4.2). */
    static String htu(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return scheme + "://" + url.getRawAuthority().toLowerCase(Locale.ROOT) + path;
    }

    /** {@code ath}: Base64url of the SHA-256 of the access token's ASCII bytes (RFC 9449 §4.2). */
    public static String accessTokenHash(String accessToken) {
        try {
            return CompactJws.base64url(MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static String origin(URI url) {
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "DpopProofs[" + key + "]";
    }
}
