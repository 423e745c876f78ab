package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;

/**
 * How one provider wants to be asked for a new token: the resolved, immutable result of a preset and the user's
 * options. It turns a refresh token and client credentials into a {@link TokenRequest}.
 */
public record TokenRequestDialect(URI tokenUrl, BodyEncoding encoding, String grantType, String grantTypeField,
                                  String refreshTokenField, GrantTypeLocation grantTypeLocation,
                                  ClientAuthentication clientAuthentication, Map<String, String> headers,
                                  Map<String, String> parameters) {

    static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=UTF-8";
    static final String JSON_CONTENT_TYPE = "application/json; charset=UTF-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenRequestDialect {
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(grantType, "grantType");
        Objects.requireNonNull(grantTypeField, "grantTypeField");
        Objects.requireNonNull(refreshTokenField, "refreshTokenField");
        Objects.requireNonNull(grantTypeLocation, "grantTypeLocation");
        Objects.requireNonNull(clientAuthentication, "clientAuthentication");
        headers = Map.copyOf(headers);
        parameters = Map.copyOf(parameters);
    }

    /** Builds the refresh call for one refresh token. */
    public TokenRequest encode(ClientCredentials credentials, String refreshToken) {
        Objects.requireNonNull(refreshToken, "refreshToken");
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put(refreshTokenField, refreshToken);
        return encodeGrant(credentials, grantType, grant, List.of(refreshToken));
    }

    /**
     * Builds a call for another grant in the same dialect (headers, encoding, client authentication): the fallback
     * grant that gets a new token pair when the refresh token is dead.
     *
     * @param grantValue  the grant type value, e.g. client_credentials
     * @param grantFields the grant's own parameters, e.g. username and password
     * @param secrets     which of those values are secret
     */
    public TokenRequest encodeGrant(ClientCredentials credentials, String grantValue, Map<String, String> grantFields,
                                    List<String> grantSecrets) {
        List<String> secrets = new ArrayList<>(grantSecrets);

        Map<String, String> requestHeaders = new LinkedHashMap<>();
        requestHeaders.put("Accept", "application/json");
        requestHeaders.putAll(headers);

        // Parameters in the order the provider documents show them: the refresh token, then the grant type.
        Map<String, String> params = new LinkedHashMap<>();
        if (grantTypeLocation == GrantTypeLocation.body && encoding != BodyEncoding.json) {
            params.put(grantTypeField, grantValue);
        }
        params.putAll(grantFields);
        if (grantTypeLocation == GrantTypeLocation.body && encoding == BodyEncoding.json) {
            params.put(grantTypeField, grantValue);
        }
        if (grantTypeLocation == GrantTypeLocation.header) {
            requestHeaders.put(grantTypeField, grantValue);
        }

        switch (clientAuthentication) {
            case basic:
                String basic = credentials.basicAuthorization();
                requestHeaders.put("Authorization", basic);
                addSecret(secrets, credentials.clientSecret());
                secrets.add(basic.substring("Basic ".length()));
                break;
            case post:
                params.put("client_id", credentials.clientId());
                params.put("client_secret", credentials.clientSecret());
                addSecret(secrets, credentials.clientSecret());
                break;
            default:
                break;
        }
        params.putAll(parameters);

        switch (encoding) {
            case json:
                return new TokenRequest(requestHeaders, null, toJson(params), JSON_CONTENT_TYPE, secrets);
            case query:
                return new TokenRequest(requestHeaders, formEncode(params), null, FORM_CONTENT_TYPE, secrets);
            default:
                return new TokenRequest(requestHeaders, null, formEncode(params).getBytes(StandardCharsets.UTF_8),
                                        FORM_CONTENT_TYPE, secrets);
        }
    }

    private static void addSecret(List<String> secrets, String value) {
        if (value != null && !value.isEmpty()) {
            secrets.add(value);
        }
    }

    private static String formEncode(Map<String, String> params) {
        StringJoiner joiner = new StringJoiner("&");
        params.forEach((k, v) -> joiner.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                                            + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return joiner.toString();
    }

    private static byte[] toJson(Map<String, String> params) {
        try {
            return JSON.writeValueAsBytes(params);
        } catch (JsonProcessingException e) {
            // a map of strings always serializes; keep the message free of values
            throw new IllegalStateException("cannot encode token request as JSON", e);
        }
    }

    @Override
    public String toString() {
        return "TokenRequestDialect[tokenUrl=" + tokenUrl + ", encoding=" + encoding + ", grantType=" + grantType
               + ", grantTypeField=" + grantTypeField + ", refreshTokenField=" + refreshTokenField
               + ", grantTypeLocation=" + grantTypeLocation + ", clientAuthentication=" + clientAuthentication
               + ", headers=" + headers.keySet() + ", parameters=" + parameters.keySet() + "]";
    }
}
