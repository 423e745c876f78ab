package io.github.cameltokenrefresh.testing;

import java.util.List;

import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * The read side of a {@link StrictTokenServer}, for a test's assertions: what it counted, refused, received and
 * issued, and the credentials it expects. {@link StrictTokenServer} extends it with the side that starts and
 * configures the server.
 */
abstract class TokenServerObservations {

    final TokenServerParts parts;

    TokenServerObservations(TokenServerParts parts) {
        this.parts = parts;
    }

    public String clientId() {
        return parts.expected().clientId();
    }

    public String clientSecret() {
        return parts.expected().clientSecret();
    }

    public String authKey() {
        return parts.expected().authKey();
    }

    public int partnerId() {
        return parts.expected().partnerId();
    }

    /** All requests to the token path, accepted or not. */
    public int tokenCalls() {
        return parts.tokenEndpoint().calls();
    }

    /** The most token calls this server was answering at one moment. */
    public int maxTokenCallsInFlight() {
        return parts.tokenEndpoint().maxInFlight();
    }

    /** Token calls waiting at the latch of {@link StrictTokenServer#holdTokenCalls()} now. */
    public int heldTokenCalls() {
        return parts.pacing().held();
    }

    /** How many injected faults are still to be answered. */
    public int pendingFailures() {
        return parts.failures().pending();
    }

    public int successfulRefreshes() {
        return parts.issuer().successfulRefreshes();
    }

    /** How many times a reused refresh token revoked its family. */
    public int familyRevocations() {
        return parts.issuer().familyRevocations();
    }

    public int resourceCalls() {
        return parts.resourceServer().calls();
    }

    public int unauthorizedResourceCalls() {
        return parts.resourceServer().unauthorizedCalls();
    }

    /** One reason per rejected request, in arrival order of the rejections. */
    public List<String> rejections() {
        return parts.shell().rejections();
    }

    /** Issued, not revoked, and not expired by the server clock. */
    public boolean isAccessTokenValid(String accessToken) {
        return parts.issuer().isAccessTokenValid(accessToken);
    }

    /** The newest valid refresh token, or null when none is valid. */
    public String currentRefreshToken() {
        return parts.issuer().currentRefreshToken();
    }

    public List<String> issuedAccessTokens() {
        return parts.issuer().issuedAccessTokens();
    }

    /** Refresh tokens this server minted (by rotation or {@code issueRefreshToken()}), not ones added by tests. */
    public List<String> issuedRefreshTokens() {
        return parts.issuer().issuedRefreshTokens();
    }

    /** Every request the server received (token, resource and unknown paths), in arrival order. */
    public List<RecordedRequest> requests() {
        return parts.shell().requests();
    }

    /** The requests to the token path only. */
    public List<RecordedRequest> tokenRequests() {
        return requests().stream().filter(r -> parts.dialect().tokenPath().equals(r.path())).toList();
    }
}
