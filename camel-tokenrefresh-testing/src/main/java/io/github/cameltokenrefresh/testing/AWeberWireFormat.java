package io.github.cameltokenrefresh.testing;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * AWeber's page: {@code POST /oauth2/token} with {@code grant_type=refresh_token} and {@code refresh_token}, shown as
 * query parameters (so accepted there, or as a form body, never split across both), and {@code Authorization: Basic}
 * client credentials. The answer carries both {@code expires_in} and {@code expires_at}, a float of Unix seconds.
 */
final class AWeberWireFormat implements DialectWireFormat {

    private final RequestExpectations expected;
    private final FormGrant grant;

    AWeberWireFormat(RequestExpectations expected, FormGrant grant) {
        this.expected = expected;
        this.grant = grant;
    }

    @Override
    public Grant read(RecordedRequest request) throws TokenRequestRejected {
        String source;
        if (WireChecks.hasQuery(request)) {
            if (!request.body().isEmpty()) {
                throw TokenRequestRejected.invalidRequest(
                        "parameters were in both the query string and the body, expected exactly one");
            }
            source = request.query();
            // an empty POST has no media type; if one is named, it must still be the form type
            if (request.header("content-type") != null) {
                WireChecks.checkContentType(request, WireChecks.FORM);
            }
        } else {
            WireChecks.checkContentType(request, WireChecks.FORM);
            source = request.body();
        }
        Map<String, String> params = WireChecks.parseForm(source);
        FormClientAuthentication.check(request, params, expected);
        return grant.read(params, Set.of());
    }

    @Override
    public ObjectNode answer(IssuedTokens tokens) {
        ObjectNode body = DialectWireFormat.bodyWithAccessToken(tokens);
        if (tokens.lifetime() != null) {
            body.put("expires_in", tokens.lifetime());
            // float Unix seconds with milliseconds; a DecimalNode keeps the scale (the node factory would strip
            // trailing zeros and turn a whole second into 1.7640072E+9)
            body.set("expires_at", DecimalNode.valueOf(BigDecimal.valueOf(
                    tokens.issuedAt().plusSeconds(tokens.lifetime()).toEpochMilli(), 3)));
        }
        body.put("token_type", "bearer");
        if (tokens.refreshToken() != null) {
            body.put("refresh_token", tokens.refreshToken());
        }
        return body;
    }
}
