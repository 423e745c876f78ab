package io.github.cameltokenrefresh.internal.call;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.FormEncoding;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import io.github.cameltokenrefresh.token.TokenRefreshException;

/**
 * RFC 7009 token revocation: a form POST of {@code token} and {@code token_type_hint=refresh_token} to the provider's
 * revocation endpoint, with the client's authentication as at the token endpoint. HTTP 200 means revoked (RFC 7009
 * §2.2: also for a token the server no longer knows); anything else, or no answer, fails typed, so the caller keeps the
 * record and may try again. Never a token or secret in a message.
 */
public final class TokenRevocation {

    /** What a revocation did. */
    public enum Outcome {
        /** the provider answered 200: the refresh token is revoked */
        REVOKED,
        /** the provider has no revocation endpoint (none configured or discovered): nothing was sent */
        NO_ENDPOINT,
        /** the account held no refresh token: nothing was sent */
        NOTHING_TO_REVOKE
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final String provider;
    private final URI url;
    private final TokenClient client;
    private final ClientAuthenticator authenticator;

    /** @param url null without a revocation endpoint (then {@code client} is unused) */
    public TokenRevocation(String provider, URI url, TokenClient client, ClientAuthenticator authenticator) {
        this.provider = provider;
        this.url = client == null ? null : url;
        this.client = url == null ? null : client;
        this.authenticator = authenticator;
    }

    /** The revocation endpoint, or null. */
    public URI url() {
        return url;
    }

    /** Revokes {@code refreshToken} (null: nothing to revoke). */
    public Outcome revoke(String account, String refreshToken) {
        if (client == null) {
            return Outcome.NO_ENDPOINT;
        }
        if (refreshToken == null) {
            return Outcome.NOTHING_TO_REVOKE;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("token", refreshToken);
        params.put("token_type_hint", "refresh_token");
        List<String> secrets = new ArrayList<>(List.of(refreshToken));
        authenticator.authenticate(headers, params, secrets);
        TokenRequest request = new TokenRequest(headers, null,
                FormEncoding.encode(params).getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded; charset=UTF-8", secrets);
        TokenResponse response;
        try {
            response = client.send(request);
        } catch (IOException e) {
            throw failure(account, "did not answer (" + e.getClass().getSimpleName() + ")");
        }
        if (response.statusCode() == 200) {
            return Outcome.REVOKED;
        }
        String error = errorCode(response);
        throw failure(account, "answered HTTP " + response.statusCode() + (error == null ? "" : " with error '" + error
                                                                                           + "'"));
    }

    private TokenRefreshException failure(String account, String what) {
        return new TokenRefreshException(provider, account, "the revocation endpoint " + url + " " + what
                                                            + "; the account is kept as it was: disconnect it again",
                                         null);
    }

    /** The RFC 6749 error code of the answer, if it has a plausible one; never the rest of the body. */
    private static String errorCode(TokenResponse response) {
        try {
            JsonNode error = JSON.readTree(response.body()).path("error");
            return error.isTextual() && ERROR_CODE.matcher(error.asText()).matches() ? error.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
