package io.github.cameltokenrefresh.internal.wire;

import java.util.List;
import java.util.Map;

/**
 * {@code clientAuthentication=none}: a public client, or a partner API that identifies the caller by a configured
 * header. Nothing is added; the authorization code exchange names the client itself.
 */
final class PublicClient implements ClientAuthenticator {

    @Override
    public void authenticate(Map<String, String> headers, Map<String, String> parameters, List<String> secrets) {
        // no proof: the dialect's own headers and parameters, if any, identify the caller
    }

    @Override
    public boolean identifiesClient() {
        return false;
    }

    @Override
    public String toString() {
        return "PublicClient";
    }
}
