package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;

/**
 * How one provider wants to be asked for a new token: the resolved, immutable result of a preset and the user's
 * options. It turns a grant and the client's authentication into a {@link TokenRequest}.
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

    /**
     * Builds one token call in this dialect: the grant's parameters, the grant type where the provider wants it, the
     * client's authentication, the provider's fixed headers and parameters, in the configured encoding.
     */
    public TokenRequest encode(TokenGrant grant, ClientAuthenticator client) {
        String grantValue = grant.grantType(this);

        Map<String, String> requestHeaders = new LinkedHashMap<>();
        requestHeaders.put("Accept", "application/json");
        requestHeaders.putAll(headers);

        // Parameters in the order the provider documents show them: the refresh token, then the grant type.
        Map<String, String> params = new LinkedHashMap<>();
        if (grantTypeLocation == GrantTypeLocation.body && encoding != BodyEncoding.json) {
            params.put(grantTypeField, grantValue);
        }
        params.putAll(grant.parameters(this));
        if (grantTypeLocation == GrantTypeLocation.body && encoding == BodyEncoding.json) {
            params.put(grantTypeField, grantValue);
        }
        if (grantTypeLocation == GrantTypeLocation.header) {
            requestHeaders.put(grantTypeField, grantValue);
        }
        List<String> secrets = new ArrayList<>(grant.secrets()); // after its parameters: a grant may sign them now
        client.authenticate(requestHeaders, params, secrets);
        params.putAll(parameters);

        switch (encoding) {
            case json:
                return new TokenRequest(requestHeaders, null, toJson(params), JSON_CONTENT_TYPE, secrets);
            case query:
                return new TokenRequest(requestHeaders, FormEncoding.encode(params), null, FORM_CONTENT_TYPE, secrets);
            default:
                return new TokenRequest(requestHeaders, null,
                                        FormEncoding.encode(params).getBytes(StandardCharsets.UTF_8),
                                        FORM_CONTENT_TYPE, secrets);
        }
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
