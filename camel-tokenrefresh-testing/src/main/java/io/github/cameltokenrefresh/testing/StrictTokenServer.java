package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A real local token endpoint that speaks exactly one provider dialect and rejects every request that is not in that
 * dialect's wire format, so a passing component test proves the wire format and not just "some POST arrived". It is
 * also a tiny resource server at {@link #resourceUrl()} that accepts only the access tokens it issued, and an
 * authorization endpoint at {@link #authorizationUrl()}.
 * <p>
 * Rejections answer with an RFC 6749 §5.2 JSON error and leave a human-readable reason in {@link #rejections()}.
 * Error descriptions never echo secrets or token values, so log-masking tests are not fooled by the server.
 * <p>
 * This class is the face tests use, over the parts {@link TokenServerParts} wires: the HTTP shell, the dialect's wire
 * format, the expectations a test sets, the token state with rotation, scripted failures, call pacing, and the token,
 * resource and authorization endpoints. What the server saw is read through {@link TokenServerObservations}.
 */
public final class StrictTokenServer extends TokenServerObservations implements AutoCloseable {

    /** The wire formats this server can speak, one per vendor document. */
    public enum Dialect {
        /** RFC 6749 §6: form body, grant_type=refresh_token, client auth by Basic or by form fields. */
        OAUTH2("/oauth/token", 3600L, true),
        /** Newsletter2Go: JSON body, Basic auth key verbatim, grant type https://nl2go.com/jwt, same refresh token. */
        NEWSLETTER2GO("/oauth/v2/token", 7200L, false),
        /** AWeber: form body (or query string), Basic client credentials, expires_in and expires_at in the answer. */
        AWEBER("/oauth2/token", 7200L, true),
        /** Partner API: headers partnerId and grantType, JSON body {"refreshToken"}. */
        PARTNER("/v1/auth/token", 3600L, true);

        private final String tokenPath;
        final Long defaultExpiresIn;
        final boolean defaultRotation;

        Dialect(String tokenPath, Long defaultExpiresIn, boolean defaultRotation) {
            this.tokenPath = tokenPath;
            this.defaultExpiresIn = defaultExpiresIn;
            this.defaultRotation = defaultRotation;
        }

        public String tokenPath() {
            return tokenPath;
        }
    }

    /** One request as it arrived: header names lower-cased, body as the raw UTF-8 string. */
    public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                                  String body) {

        /** The first value of a header (any case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    public static final String RESOURCE_PATH = "/api/resource";
    public static final String NEWSLETTER2GO_GRANT_TYPE = Newsletter2GoWireFormat.GRANT_TYPE;
    /** What public Newsletter2Go client libraries send instead of the documented grant type. */
    public static final String NEWSLETTER2GO_LIBRARY_GRANT_TYPE = Newsletter2GoWireFormat.LIBRARY_GRANT_TYPE;
    public static final String PARTNER_INVALID_GRANT = PartnerWireFormat.INVALID_GRANT;
    public static final String PARTNER_MISSING_TOKEN = PartnerWireFormat.MISSING_TOKEN;

    private StrictTokenServer(Dialect dialect) throws IOException {
        super(TokenServerParts.assemble(Objects.requireNonNull(dialect, "dialect")));
    }

    public static StrictTokenServer start(Dialect dialect) {
        try {
            return new StrictTokenServer(dialect);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start StrictTokenServer", e);
        }
    }

    // ---------------------------------------------------------------- addresses

    public Dialect dialect() {
        return parts.dialect();
    }

    public String baseUrl() {
        return parts.shell().baseUrl();
    }

    public String tokenPath() {
        return parts.dialect().tokenPath;
    }

    public String tokenUrl() {
        return baseUrl() + tokenPath();
    }

    public String resourceUrl() {
        return baseUrl() + RESOURCE_PATH;
    }

    /** The authorization endpoint URL (RFC 6749 §4.1); OAUTH2 and AWEBER dialects redeem its codes. */
    public String authorizationUrl() {
        return baseUrl() + AuthorizationEndpoint.PATH;
    }

    /** The authorization endpoint: register the redirect URI there, deny the next consent, read issued codes. */
    public AuthorizationEndpoint authorization() {
        return parts.authorization();
    }

    // ---------------------------------------------------------------- what requests must look like

    /** Client credentials expected as Basic base64(urlencode(id):urlencode(secret)) (OAUTH2, AWEBER). */
    public StrictTokenServer clientCredentials(String clientId, String clientSecret) {
        parts.expected().clientCredentials(clientId, clientSecret);
        return this;
    }

    /** OAUTH2 only: expect client_id and client_secret form fields and no Authorization header. */
    public StrictTokenServer clientAuthInBody(boolean inBody) {
        if (inBody && dialect() != Dialect.OAUTH2) {
            throw new IllegalStateException("client authentication in the body exists only in the OAUTH2 dialect");
        }
        parts.expected().clientAuthInBody(inBody);
        return this;
    }

    /** NEWSLETTER2GO: the Base64 auth key expected verbatim after "Basic ". */
    public StrictTokenServer authKey(String base64AuthKey) {
        parts.expected().authKey(base64AuthKey);
        return this;
    }

    /** PARTNER: the value the partnerId header must carry. */
    public StrictTokenServer partnerId(int partnerId) {
        parts.expected().partnerId(partnerId);
        return this;
    }

    /** Replaces the accepted grant types (NEWSLETTER2GO defaults to both jwt and jwt_refresh, others refresh_token). */
    public StrictTokenServer acceptGrantTypes(String... grantTypes) {
        parts.expected().acceptGrantTypes(grantTypes);
        return this;
    }

    /** Body fields (form or JSON) allowed beyond the dialect's own; anything else is rejected as unexpected. */
    public StrictTokenServer allowExtraParameters(String... names) {
        parts.expected().allowExtraParameters(names);
        return this;
    }

    /** A header every token call must carry with exactly this value (for custom-header options). */
    public StrictTokenServer requireHeader(String name, String value) {
        parts.expected().requireHeader(name, value);
        return this;
    }

    // ---------------------------------------------------------------- tokens

    /** A refresh token the server accepts. */
    public StrictTokenServer addRefreshToken(String refreshToken) {
        parts.issuer().addRefreshToken(refreshToken);
        return this;
    }

    /** Mints a new valid refresh token and returns it. */
    public String issueRefreshToken() {
        return parts.issuer().issueRefreshToken();
    }

    /** Mints a valid access token with the configured expires_in, as if a refresh had happened. */
    public String issueAccessToken() {
        return parts.issuer().issueAccessToken();
    }

    /** true: each refresh answers a new refresh token and the used one becomes invalid_grant. */
    public StrictTokenServer rotateRefreshTokens(boolean rotate) {
        parts.issuer().rotate(rotate);
        return this;
    }

    /**
     * RFC 9700 §4.14.2, as Keycloak, Okta and Auth0 do: a refresh token presented again after it was rotated away
     * revokes its whole family, the current refresh token included, so both the thief and the victim must re-authorize.
     */
    public StrictTokenServer revokeFamilyOnReuse(boolean revoke) {
        parts.issuer().revokeFamilyOnReuse(revoke);
        return this;
    }

    /** Answers without refresh_token; the used one then stays valid (the client must keep it). */
    public StrictTokenServer omitRefreshTokenInResponse(boolean omit) {
        parts.issuer().omitRefreshToken(omit);
        return this;
    }

    /** Lifetime of issued access tokens; null omits expires_in (and expires_at) and the token never expires here. */
    public StrictTokenServer expiresIn(Long seconds) {
        parts.issuer().expiresIn(seconds);
        return this;
    }

    /** The clock for issuing and checking expiry (tests may pass a movable clock). */
    public StrictTokenServer clock(Clock clock) {
        parts.issuer().clock(clock);
        return this;
    }

    /** Makes a refresh token answer invalid_grant from now on. */
    public StrictTokenServer revokeRefreshToken(String rt) {
        parts.issuer().revokeRefreshToken(rt);
        return this;
    }

    /** The resource server answers 401 for this token from now on. */
    public void revokeAccessToken(String accessToken) {
        parts.issuer().revokeAccessToken(accessToken);
    }

    // ---------------------------------------------------------------- pacing and failures

    /** Delay before answering each token call, so concurrent callers overlap. */
    public StrictTokenServer responseDelay(Duration d) {
        parts.pacing().responseDelay(d);
        return this;
    }

    /** From now on each token call, once counted as in flight, waits until {@link #releaseTokenCalls} lets it on. */
    public StrictTokenServer holdTokenCalls() {
        parts.pacing().hold();
        return this;
    }

    /** Lets {@code calls} held token calls (or later ones) be answered. */
    public void releaseTokenCalls(int calls) {
        parts.pacing().release(calls);
    }

    /** Runs on each token call's thread before the server looks at it (a test may hold it there); null: nothing. */
    public StrictTokenServer beforeEachTokenCall(Consumer<RecordedRequest> hook) {
        parts.pacing().beforeEach(hook);
        return this;
    }

    /**
     * The next {@code times} token calls that pass every check (wire format and a valid refresh token) get this raw
     * answer instead of a token; the refresh token is then not consumed. Replaces any faults still pending, so
     * {@code failNext(0, ...)} makes the server healthy again.
     *
     * @param contentType  null sends no Content-Type
     * @param body         null sends an empty body
     * @param extraHeaders e.g. Retry-After; may be null
     */
    public void failNext(int times, int status, String contentType, String body, Map<String, String> extraHeaders) {
        parts.failures().failNext(times, status, contentType, body, extraHeaders);
    }

    /** Drops pending faults: the server answers normally again. */
    public void clearFailures() {
        parts.failures().clear();
    }

    @Override
    public void close() {
        parts.shell().close();
    }
}
