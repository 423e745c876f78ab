package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;

/**
 * The parts of one {@link StrictTokenServer}, wired for its dialect: the dialect's wire format and defaults, the
 * token state, the three endpoints, and the HTTP shell in front of them, started last.
 */
record TokenServerParts(Dialect dialect, RequestExpectations expected, ScriptedTokenFailures failures,
                        RotatingTokenIssuer issuer, TokenCallPacing pacing, AuthorizationEndpoint authorization,
                        TokenEndpoint tokenEndpoint, ResourceServer resourceServer, TokenServerHttpShell shell) {

    static TokenServerParts assemble(Dialect dialect) throws IOException {
        RequestExpectations expected = new RequestExpectations(dialect == Dialect.NEWSLETTER2GO
                ? Set.of(Newsletter2GoWireFormat.GRANT_TYPE, Newsletter2GoWireFormat.LIBRARY_GRANT_TYPE)
                : Set.of("refresh_token"));
        ScriptedTokenFailures failures = new ScriptedTokenFailures();
        RotatingTokenIssuer issuer = new RotatingTokenIssuer(failures, dialect.defaultRotation, dialect.defaultExpiresIn);
        AuthorizationEndpoint authorization = new AuthorizationEndpoint(expected::clientId, issuer::clock);
        FormGrant formGrant = new FormGrant(expected, authorization, issuer::issueRefreshToken);
        DialectWireFormat wireFormat = switch (dialect) {
            case OAUTH2 -> new OAuth2WireFormat(expected, formGrant);
            case AWEBER -> new AWeberWireFormat(expected, formGrant);
            case NEWSLETTER2GO -> new Newsletter2GoWireFormat(expected);
            case PARTNER -> new PartnerWireFormat(expected);
        };
        TokenCallPacing pacing = new TokenCallPacing();
        TokenEndpoint tokenEndpoint = new TokenEndpoint(wireFormat, expected, issuer, pacing);
        ResourceServer resourceServer = new ResourceServer(issuer::isAccessTokenValid);
        TokenServerHttpShell shell = new TokenServerHttpShell(
                "strict-token-server-" + dialect.name().toLowerCase(Locale.ROOT),
                Map.of(dialect.tokenPath(), tokenEndpoint, StrictTokenServer.RESOURCE_PATH, resourceServer,
                       AuthorizationEndpoint.PATH, authorization::answer),
                request -> HttpAnswer.rejected(new TokenRequestRejected(
                        404, "invalid_request", "path was " + request.path() + ", expected " + dialect.tokenPath())));
        return new TokenServerParts(dialect, expected, failures, issuer, pacing, authorization, tokenEndpoint,
                                    resourceServer, shell);
    }
}
