package io.github.cameltokenrefresh;

import java.util.Map;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options of {@link TokenRefreshConfiguration} that say how token calls reach the token endpoint and what they
 * carry: preset, URL, request dialect and HTTP settings. One of the option groups the configuration is made of (a
 * {@code @UriParams} class hierarchy, as Camel's generator reads it); configure a {@link TokenRefreshConfiguration}.
 */
@UriParams
public abstract class TokenCallOptions {

    @UriParam(label = "common", defaultValue = "oauth2",
              description = "The provider catalog's entry whose defaults fill the options left unset: oauth2 (RFC 6749"
                            + " section 6), newsletter2go, aweber, salesforce, microsoft, google and the others listed in"
                            + " docs/providers.md, or an entry of providerCatalog.")
    private String preset = "oauth2";
    @UriParam(label = "common",
              description = "A provider catalog of your own (classpath: or file:), read at route start: its entries add"
                            + " providers or override fields of shipped ones. Default: only the catalog in the jar.")
    private String providerCatalog;
    @UriParam(label = "common",
              description = "The token endpoint URL. Defaults to the preset's vendor URL (newsletter2go, aweber); required"
                            + " for oauth2. May name account attributes as {name} placeholders, filled per account, e.g."
                            + " https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token.")
    private String tokenUrl;
    @UriParam(label = "common",
              description = "The provider's API base URL(s), comma separated, e.g. https://api.aweber.com/1.0: HTTP calls"
                            + " under it get the account's token as they are sent (no tokenrefresh step needed), and a"
                            + " token header is removed from calls to any other URL. {name} placeholders are filled per"
                            + " account from its token answer (Salesforce {instance_url}, Zoho {api_domain}). Default:"
                            + " the preset's API (aweber, newsletter2go) unless tokenUrl points elsewhere; none for"
                            + " oauth2.")
    private String apiBase;

    @UriParam(label = "dialect",
              description = "Where refresh calls go when the provider has a URL for them apart from its token URL"
                            + " (Figma); may name account attributes like tokenUrl. Default: the preset's, else tokenUrl.")
    private String refreshUrl;
    @UriParam(label = "common", defaultValue = "false",
              description = "Allow a plain http:// token URL and API base. Refresh tokens, client secrets and access"
                            + " tokens would travel in clear text: for local testing only.")
    private boolean insecureHttp;
    @UriParam(label = "security",
              description = "The RFC 7009 revocation endpoint: operation=disconnect revokes the account's refresh token"
                            + " there (with the client authentication of the token endpoint) before deleting its"
                            + " record. Without it, disconnect deletes the record only and says so. Keycloak:"
                            + " <issuer>/protocol/openid-connect/revoke.")
    private String revocationUrl;
    @UriParam(label = "dialect",
              description = "The grant type value sent. Default: refresh_token; https://nl2go.com/jwt for newsletter2go.")
    private String grantType;
    @UriParam(label = "dialect", enums = "form,json,query",
              description = "How parameters travel: form (x-www-form-urlencoded body), json (JSON body) or query (URL"
                            + " query, discouraged: the refresh token ends up in URLs). Default: form; json for"
                            + " newsletter2go.")
    private BodyEncoding encoding;
    @UriParam(label = "dialect", description = "The name of the grant type field or header. Default: grant_type.")
    private String grantTypeField;
    @UriParam(label = "dialect", description = "The name of the refresh token field. Default: refresh_token.")
    private String refreshTokenField;
    @UriParam(label = "dialect", enums = "body,header",
              description = "Whether the grant type travels with the other parameters (body) or as an HTTP header"
                            + " named by grantTypeField. Default: body.")
    private GrantTypeLocation grantTypeLocation;
    @UriParam(label = "dialect", prefix = "header.", multiValue = true,
              description = "Fixed extra headers on every token call, e.g. header.partnerId=42.")
    private Map<String, Object> headers;
    @UriParam(label = "dialect", prefix = "param.", multiValue = true,
              description = "Fixed extra parameters on every token call, e.g. param.scope=read.")
    private Map<String, Object> parameters;
    @UriParam(label = "dialect",
              description = "Where the token answer keeps what is read from it, when not under RFC 6749's names:"
                            + " comma-separated key=path pairs with keys accessToken, refreshToken, expiresIn and"
                            + " refreshTokenExpiresIn, a dotted path for a nested field, e.g."
                            + " accessToken=authed_user.access_token. Default: access_token, refresh_token, expires_in,"
                            + " refresh_token_expires_in (the refresh token's own lifetime, when the provider reports"
                            + " it).")
    private String responseFields;
    @UriParam(label = "dialect",
              description = "Account attributes read from the token answer: comma-separated name=path pairs, e.g."
                            + " instanceUrl=instance_url,apiDomain=api_domain (a dotted path for a nested field). Kept"
                            + " with the account's record; a later answer without the field keeps the value. Default:"
                            + " none.")
    private String attributeFields;
    @UriParam(label = "advanced", defaultValue = "10s", javaType = "java.time.Duration",
              description = "Connect timeout of token calls.")
    private long connectTimeout = 10_000;
    @UriParam(label = "advanced", defaultValue = "30s", javaType = "java.time.Duration",
              description = "Read timeout of token calls: how long to wait for the token endpoint's answer.")
    private long responseTimeout = 30_000;
    @UriParam(label = "security",
              description = "TLS configuration of token calls (trust store, client certificate).")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "advanced", prefix = "http.", multiValue = true,
              description = "Options passed to the Camel HTTP endpoint of token calls, e.g. http.proxyHost and"
                            + " http.proxyPort.")
    private Map<String, Object> httpOptions;

    public String getPreset() {
        return preset;
    }

    public void setPreset(String preset) {
        this.preset = preset;
    }

    public String getRefreshUrl() {
        return refreshUrl;
    }

    public void setRefreshUrl(String refreshUrl) {
        this.refreshUrl = refreshUrl;
    }

    public String getProviderCatalog() {
        return providerCatalog;
    }

    public void setProviderCatalog(String providerCatalog) {
        this.providerCatalog = providerCatalog;
    }

    public String getResponseFields() {
        return responseFields;
    }

    public void setResponseFields(String responseFields) {
        this.responseFields = responseFields;
    }

    public String getAttributeFields() {
        return attributeFields;
    }

    public void setAttributeFields(String attributeFields) {
        this.attributeFields = attributeFields;
    }

    public String getTokenUrl() {
        return tokenUrl;
    }

    public void setTokenUrl(String tokenUrl) {
        this.tokenUrl = tokenUrl;
    }

    public String getApiBase() {
        return apiBase;
    }

    public void setApiBase(String apiBase) {
        this.apiBase = apiBase;
    }

    public String getRevocationUrl() {
        return revocationUrl;
    }

    public void setRevocationUrl(String revocationUrl) {
        this.revocationUrl = revocationUrl;
    }

    public boolean isInsecureHttp() {
        return insecureHttp;
    }

    public void setInsecureHttp(boolean insecureHttp) {
        this.insecureHttp = insecureHttp;
    }

    public String getGrantType() {
        return grantType;
    }

    public void setGrantType(String grantType) {
        this.grantType = grantType;
    }

    public BodyEncoding getEncoding() {
        return encoding;
    }

    public void setEncoding(BodyEncoding encoding) {
        this.encoding = encoding;
    }

    public String getGrantTypeField() {
        return grantTypeField;
    }

    public void setGrantTypeField(String grantTypeField) {
        this.grantTypeField = grantTypeField;
    }

    public String getRefreshTokenField() {
        return refreshTokenField;
    }

    public void setRefreshTokenField(String refreshTokenField) {
        this.refreshTokenField = refreshTokenField;
    }

    public GrantTypeLocation getGrantTypeLocation() {
        return grantTypeLocation;
    }

    public void setGrantTypeLocation(GrantTypeLocation grantTypeLocation) {
        this.grantTypeLocation = grantTypeLocation;
    }

    public Map<String, Object> getHeaders() {
        return headers;
    }

    public void setHeaders(Map<String, Object> headers) {
        this.headers = headers;
    }

    public Map<String, Object> getParameters() {
        return parameters;
    }

    public void setParameters(Map<String, Object> parameters) {
        this.parameters = parameters;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(long responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public Map<String, Object> getHttpOptions() {
        return httpOptions;
    }

    public void setHttpOptions(Map<String, Object> httpOptions) {
        this.httpOptions = httpOptions;
    }
}
