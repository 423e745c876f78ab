package io.github.cameltokenrefresh.internal.dpop;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a DPoP-bound access token is presented on one API request (RFC 9449 §7.1): {@code Authorization: DPoP <token>}
 * and a {@code DPoP} proof for this method and URL, bound to the token by {@code ath}. A proof is per request, so it is
 * computed as the request leaves (send-time decoration); a {@code 401} with {@code WWW-Authenticate: DPoP
 * error="use_dpop_nonce"} and a {@code DPoP-Nonce} header is answered by {@link #nonceChallenge} and one retry (§9).
 */
public final class DpopPresentation {

    public static final String AUTHORIZATION_SCHEME = "DPoP";

    private final DpopProofs proofs;

    public DpopPresentation(DpopProofs proofs) {
        this.proofs = proofs;
    }

    /** The headers of one request: Authorization and DPoP, in that order. */
    public Map<String, String> headers(String method, URI url, String accessToken) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", AUTHORIZATION_SCHEME + " " + accessToken);
        headers.put("DPoP", proofs.proof(method, url, accessToken));
        return headers;
    }

    /**
     * A resource server's nonce challenge: keep its nonce.
     *
     * @param wwwAuthenticate the 401's {@code WWW-Authenticate} header, or null
     * @param dpopNonce       the 401's {@code DPoP-Nonce} header, or null
     * @return whether the request is worth one retry with a new proof
     */
    public boolean nonceChallenge(URI url, String wwwAuthenticate, String dpopNonce) {
        boolean asked = wwwAuthenticate != null && wwwAuthenticate.contains("use_dpop_nonce");
        return asked && proofs.nonce(url, dpopNonce);
    }

    @Override
    public String toString() {
        return "DpopPresentation[" + proofs.key() + "]";
    }
}
