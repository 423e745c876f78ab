package io.github.cameltokenrefresh.testing;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * RFC 6749 §6, the OAUTH2 dialect: {@code POST} with a form body {@code grant_type=refresh_token&refresh_token=...}
 * and an optional {@code scope}; the client authenticated by HTTP Basic (§2.3.1) or, when configured, by form fields.
 * The answer (§5.1): access_token, token_type, expires_in, refresh_token when issued, scope when asked for.
 */
final class OAuth2WireFormat implements DialectWireFormat {

    private final RequestExpectations expected;
    private final FormGrant grant;

    OAuth2WireFormat(RequestExpectations expected, FormGrant grant) {
        this.expected = expected;
        this.grant = grant;
    }

    @Override
    public Grant read(RecordedRequest request) throws TokenRequestRejected {
        WireChecks.rejectQuery(request);
        WireChecks.checkContentType(request, WireChecks.FORM);
        Map<String, String> params = WireChecks.parseForm(request.body());
        FormClientAuthentication.check(request, params, expected);
        return grant.read(params, Set.of("scope"));
    }

    @Override
    public ObjectNode answer(IssuedTokens tokens) {
        ObjectNode body = DialectWireFormat.bodyWithAccessToken(tokens);
        body.put("token_type", "Bearer");
        if (tokens.lifetime() != null) {
            body.put("expires_in", tokens.lifetime());
        }
        if (tokens.refreshToken() != null) {
            body.put("refresh_token", tokens.refreshToken());
        }
        if (tokens.scope() != null) {
            body.put("scope", tokens.scope());
        }
        return body;
    }
}
