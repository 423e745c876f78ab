package io.github.cameltokenrefresh.testing;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

import static io.github.cameltokenrefresh.testing.TokenRequestRejected.invalidClient;
import static io.github.cameltokenrefresh.testing.TokenRequestRejected.invalidRequest;

/**
 * Newsletter2Go's refresh document: {@code POST /oauth/v2/token} with a JSON body
 * {@code {"refresh_token": ..., "grant_type": "https://nl2go.com/jwt"}} and {@code Authorization: Basic <auth key>},
 * the Base64 auth key verbatim. The answer: access_token, expires_in, token_type bearer, scope null, refresh_token,
 * and the extra fields account_id and type.
 */
final class Newsletter2GoWireFormat implements DialectWireFormat {

    static final String GRANT_TYPE = "https://nl2go.com/jwt";
    /** What public Newsletter2Go client libraries send instead of the documented grant type. */
    static final String LIBRARY_GRANT_TYPE = "https://nl2go.com/jwt_refresh";

    private final RequestExpectations expected;

    Newsletter2GoWireFormat(RequestExpectations expected) {
        this.expected = expected;
    }

    @Override
    public Grant read(RecordedRequest request) throws TokenRequestRejected {
        WireChecks.rejectQuery(request);
        WireChecks.checkContentType(request, WireChecks.JSON);
        String auth = WireChecks.singleHeader(request, "authorization", "Authorization header");
        if (auth == null) {
            throw invalidClient("Authorization header missing, expected Basic <auth key>");
        }
        if (!("Basic " + expected.authKey()).equals(auth)) {
            throw invalidClient(auth.startsWith("Basic ")
                    ? "Authorization was Basic with a different value, expected the configured auth key verbatim"
                    : "Authorization scheme was " + WireChecks.scheme(auth) + ", expected Basic <auth key>");
        }
        ObjectNode json = WireChecks.parseJsonObject(request.body());
        expected.checkUnexpected("JSON field", WireChecks.fieldNames(json), Set.of("refresh_token", "grant_type"));
        String grantType = WireChecks.textField(json, "grant_type");
        if (grantType == null) {
            throw invalidRequest("JSON field grant_type missing");
        }
        expected.checkGrantType("grant_type", List.of(grantType));
        String refreshToken = WireChecks.textField(json, "refresh_token");
        if (refreshToken == null) {
            throw invalidRequest("JSON field refresh_token missing");
        }
        return new Grant(refreshToken, null);
    }

    @Override
    public ObjectNode answer(IssuedTokens tokens) {
        ObjectNode body = DialectWireFormat.bodyWithAccessToken(tokens);
        if (tokens.lifetime() != null) {
            body.put("expires_in", tokens.lifetime());
        }
        body.put("token_type", "bearer");
        body.putNull("scope");
        if (tokens.refreshToken() != null) {
            body.put("refresh_token", tokens.refreshToken());
        }
        body.put("account_id", "awtfn5jn");
        body.put("type", "user");
        return body;
    }
}
