package io.github.cameltokenrefresh.internal.call;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.internal.dpop.DpopProofs;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;

/**
 * DPoP on the token endpoint (RFC 9449 §5, §8): every token request carries a fresh proof for POST and the token URL;
 * the nonce a server hands out ({@code DPoP-Nonce}) is kept for the next proofs, and a {@code 400 use_dpop_nonce}
 * that brought a new one is worth one retry.
 */
final class DpopTokenRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DpopProofs proofs;
    private final URI tokenUrl;

    DpopTokenRequests(DpopProofs proofs, URI tokenUrl) {
        this.proofs = proofs;
        this.tokenUrl = tokenUrl;
    }

    /** The request with a {@code DPoP} header of a new proof. */
    TokenRequest prove(TokenRequest request) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        // an account's own token URL (a template filled in) is where this request goes, so what the proof names
        headers.put("DPoP", proofs.proof("POST", request.url() != null ? request.url() : tokenUrl, null));
        return new TokenRequest(headers, request.query(), request.body(), request.contentType(), request.secrets(),
                                request.url());
    }

    /** Keeps the answer's nonce; whether the answer asks for a retry with it (a new nonce, error use_dpop_nonce). */
    boolean retryWithNonce(TokenResponse response) {
        boolean fresh = proofs.nonce(tokenUrl, response.dpopNonce());
        return fresh && response.statusCode() == 400 && "use_dpop_nonce".equals(error(response));
    }

    private static String error(TokenResponse response) {
        try {
            JsonNode error = JSON.readTree(response.body()).get("error");
            return error == null ? null : error.asText();
        } catch (IOException e) {
            return null; // not JSON: not a nonce challenge
        }
    }

    @Override
    public String toString() {
        return "DpopTokenRequests[" + proofs + "]";
    }
}
