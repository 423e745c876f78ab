package io.github.cameltokenrefresh.testing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.github.cameltokenrefresh.testing.DialectWireFormat.Grant;

import static io.github.cameltokenrefresh.testing.TokenRequestRejected.invalidRequest;

/**
 * The grant in the form fields of an RFC 6749 token request (OAUTH2, AWEBER): {@code grant_type=refresh_token} with
 * the refresh token (§6), or a code of the server's own {@link AuthorizationEndpoint} (§4.1.3), redeemed for a new
 * refresh token so the token pair goes the same way as a refresh (scripted failures, rotation, the dialect's answer).
 */
final class FormGrant {

    private static final List<String> CLIENT_FIELDS = List.of("client_id", "client_secret");

    private final RequestExpectations expected;
    private final AuthorizationEndpoint authorization;
    private final Supplier<String> newRefreshToken;

    FormGrant(RequestExpectations expected, AuthorizationEndpoint authorization, Supplier<String> newRefreshToken) {
        this.expected = expected;
        this.authorization = authorization;
        this.newRefreshToken = newRefreshToken;
    }

    /** @param dialectFields the optional fields the dialect allows beyond grant_type and refresh_token */
    Grant read(Map<String, String> params, Set<String> dialectFields) throws TokenRequestRejected {
        List<String> clientFields = expected.clientAuthInBody() ? CLIENT_FIELDS : List.of();
        String grantType = params.get("grant_type");
        if (grantType == null) {
            throw invalidRequest("form field grant_type missing");
        }
        if (AuthorizationEndpoint.GRANT_TYPE.equals(grantType)) {
            try {
                String scope = authorization.redeem(params, expected.clientId(), Set.copyOf(clientFields));
                return new Grant(newRefreshToken.get(), scope);
            } catch (AuthorizationEndpoint.Refusal refusal) {
                throw new TokenRequestRejected(refusal.status, refusal.error, refusal.getMessage());
            }
        }
        expected.checkGrantType("grant_type", List.of(grantType));
        Set<String> allowed = new LinkedHashSet<>(List.of("grant_type", "refresh_token"));
        allowed.addAll(dialectFields);
        allowed.addAll(clientFields); // listed last, as the reason names them
        expected.checkUnexpected("form field", params.keySet(), allowed);
        String refreshToken = params.get("refresh_token");
        if (refreshToken == null) {
            throw invalidRequest("form field refresh_token missing");
        }
        return new Grant(refreshToken, params.get("scope"));
    }
}
