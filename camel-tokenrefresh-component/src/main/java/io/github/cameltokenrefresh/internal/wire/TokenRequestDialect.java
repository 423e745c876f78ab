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
                                  Map<String, String> parameters, UrlTemplate tokenUrlTemplate,
                                  UrlTemplate refreshUrlTemplate, ResponseFields responseFields) {

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
        Objects.requireNonNull(tokenUrlTemplate, "tokenUrlTemplate");
        Objects.requireNonNull(responseFields, "responseFields");
        headers = Map.copyOf(headers);
        parameters = Map.copyOf(parameters);
    }

    /** A dialect with one token URL for every account, answering in RFC 6749's field names. */
    public TokenRequestDialect(URI tokenUrl, BodyEncoding encoding, String grantType, String grantTypeField,
                               String refreshTokenField, GrantTypeLocation grantTypeLocation,
                               ClientAuthentication clientAuthentication, Map<String, String> headers,
                               Map<String, String> parameters) {
        this(tokenUrl, encoding, grantType, grantTypeField, refreshTokenField, grantTypeLocation, clientAuthentication,
             headers, parameters, UrlTemplate.parse(tokenUrl.toString()), null, ResponseFields.RFC6749);
    }

    /**
     * The token URL of one account: {@link #tokenUrl()} unless the URL is a template, which the account's attributes
     * fill in ({@code tokenUrl()} is then the template with each placeholder replaced by its name, a URL the
     * provider's HTTP client is made for).
     *
     * @throws io.github.cameltokenrefresh.token.AccountAttributeMissingException the account lacks an attribute
     */
    public URI tokenUrlFor(String provider, String account, Map<String, String> attributes) {
        return tokenUrlTemplate.isTemplated() ? tokenUrlTemplate.resolve(provider, account, attributes) : tokenUrl;
    }

    /** Where a refresh of one account goes: the provider's refresh URL (Figma has its own), else its token URL. */
    public URI refreshUrlFor(String provider, String account, Map<String, String> attributes) {
        return refreshUrlTemplate == null ? tokenUrlFor(provider, account, attributes)
                : refreshUrlTemplate.resolve(provider, account, attributes);
    }

    /**
     * Builds one token call in this dialect: the grant's parameters, the grant type where the provider wants it, the
     * client's authentication, the provider's fixed headers and parameters, in the configured encoding.
     */
    public TokenRequest encode(TokenGrant grant, ClientAuthenticator client) {
        return encode(grant, client, null);
    }

    /** As {@link #encode(TokenGrant, ClientAuthenticator)}, sent to {@code url} (null: the provider's token URL). */
    public TokenRequest encode(TokenGrant grant, ClientAuthenticator client, URI url) {
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
                return new TokenRequest(requestHeaders, null, toJson(params), JSON_CONTENT_TYPE, secrets, url);
            case query:
                return new TokenRequest(requestHeaders, FormEncoding.encode(params), null, FORM_CONTENT_TYPE, secrets, url);
            default:
                return new TokenRequest(requestHeaders, null,
                                        FormEncoding.encode(params).getBytes(StandardCharsets.UTF_8),
                                        FORM_CONTENT_TYPE, secrets, url);
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
        return "TokenRequestDialect[tokenUrl=" + tokenUrlTemplate + ", encoding=" + encoding + ", grantType=" + grantType
               + ", grantTypeField=" + grantTypeField + ", refreshTokenField=" + refreshTokenField
               + ", grantTypeLocation=" + grantTypeLocation + ", clientAuthentication=" + clientAuthentication
               + ", headers=" + headers.keySet() + ", parameters=" + parameters.keySet() + "]";
    }
}
