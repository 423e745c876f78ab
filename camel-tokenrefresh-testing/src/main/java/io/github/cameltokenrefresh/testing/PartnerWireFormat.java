package io.github.cameltokenrefresh.testing;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

import static io.github.cameltokenrefresh.testing.TokenRequestRejected.invalidClient;
import static io.github.cameltokenrefresh.testing.TokenRequestRejected.invalidRequest;

/**
 * The partner API's document: {@code POST /v1/auth/token} with headers {@code partnerId} (an int32) and
 * {@code grantType: refresh_token}, a JSON body {@code {"refreshToken": ...}} and no client authentication. The answer
 * may carry a new refresh_token; the errors are worded as the document words them.
 */
final class PartnerWireFormat implements DialectWireFormat {

    static final String INVALID_GRANT = "Refresh token has expired or is invalid.";
    static final String MISSING_TOKEN = "Missing refresh token.";

    private final RequestExpectations expected;

    PartnerWireFormat(RequestExpectations expected) {
        this.expected = expected;
    }

    @Override
    public Grant read(RecordedRequest request) throws TokenRequestRejected {
        WireChecks.rejectQuery(request);
        String idHeader = WireChecks.singleHeader(request, "partnerid", "header partnerId");
        if (idHeader == null) {
            throw invalidRequest("header partnerId missing");
        }
        int id;
        try {
            id = Integer.parseInt(idHeader);
        } catch (NumberFormatException e) {
            throw invalidRequest("header partnerId was '" + idHeader + "', expected an int32");
        }
        if (id != expected.partnerId()) {
            throw invalidClient("header partnerId was " + id + ", expected " + expected.partnerId());
        }
        List<String> grantTypes = request.headers().getOrDefault("granttype", List.of());
        if (grantTypes.isEmpty()) {
            throw invalidRequest("header grantType missing");
        }
        expected.checkGrantType("header grantType", grantTypes);
        WireChecks.checkContentType(request, WireChecks.JSON);
        ObjectNode json = WireChecks.parseJsonObject(request.body());
        String refreshToken = WireChecks.textField(json, "refreshToken");
        if (refreshToken == null || refreshToken.isEmpty()) {
            throw new TokenRequestRejected(400, "invalid_request", MISSING_TOKEN,
                                           "JSON field refreshToken missing (fields were "
                                                                  + WireChecks.fieldNames(json) + ")");
        }
        expected.checkUnexpected("JSON field", WireChecks.fieldNames(json), Set.of("refreshToken"));
        return new Grant(refreshToken, null);
    }

    @Override
    public ObjectNode answer(IssuedTokens tokens) {
        ObjectNode body = DialectWireFormat.bodyWithAccessToken(tokens);
        if (tokens.refreshToken() != null) {
            body.put("refresh_token", tokens.refreshToken());
        }
        if (tokens.lifetime() != null) {
            body.put("expires_in", tokens.lifetime());
        }
        body.put("token_type", "Bearer");
        return body;
    }

    @Override
    public String invalidGrantDescription(String reason) {
        return INVALID_GRANT;
    }
}
