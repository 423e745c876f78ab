package io.github.cameltokenrefresh;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.FallbackGrantType;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.dialect.Preset;
import io.github.cameltokenrefresh.store.TokenStore;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Everything that describes one provider: its token endpoint and dialect, credentials, refresh timing and store. Set
 * on the component (defaults for every provider), as a bean named after the provider, or on one endpoint URI; every
 * endpoint naming the provider then shares it. Options left unset take the preset's defaults.
 */
@Configurer
@UriParams
public class TokenRefreshConfiguration implements Cloneable {

    @UriParam(label = "common", defaultValue = "oauth2",
              description = "Defaults for a known provider dialect: oauth2 (RFC 6749 section 6), newsletter2go or aweber."
                            + " A preset only fills options left unset.")
    private Preset preset = Preset.oauth2;
    @UriParam(label = "common",
              description = "The token endpoint URL. Defaults to the preset's vendor URL (newsletter2go, aweber); required"
                            + " for oauth2.")
    private String tokenUrl;
    @UriParam(label = "common", defaultValue = "false",
              description = "Allow a plain http:// token URL. Refresh tokens and client secrets would travel in clear"
                            + " text: for local testing only.")
    private boolean insecureHttp;

    @UriParam(label = "security",
              description = "The OAuth2 client id. Not a secret (RFC 6749 section 2.2): logs and JMX may show it.")
    private String clientId;
    @UriParam(label = "security", secret = true, description = "The OAuth2 client secret.")
    private String clientSecret;
    @UriParam(label = "security", secret = true,
              description = "A ready Base64 value for the Basic Authorization header (the Newsletter2Go auth key), used"
                            + " instead of clientId and clientSecret.")
    private String authKey;
    @UriParam(label = "security", enums = "basic,post,none",
              description = "How the client authenticates: basic (Authorization header), post (client_id and"
                            + " client_secret parameters) or none. Default: basic.")
    private ClientAuthentication clientAuthentication;
    @UriParam(label = "security", secret = true,
              description = "The refresh token to start from. Used only while the store holds none for the account: a"
                            + " stored, newer one always wins.")
    private String refreshToken;

    @UriParam(label = "security", defaultValue = "none", enums = "none,password,client_credentials",
              description = "When the refresh token is dead or missing, obtain a new token pair unattended with this"
                            + " grant instead of failing: password (username and password; Newsletter2Go's documented"
                            + " authentication) or client_credentials.")
    private FallbackGrantType fallbackGrant = FallbackGrantType.none;
    @UriParam(label = "security", secret = true, description = "The username of the password fallback grant.")
    private String username;
    @UriParam(label = "security", secret = true, description = "The password of the password fallback grant.")
    private String password;

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

    @UriParam(label = "timing", javaType = "java.time.Duration",
              description = "Lifetime assumed when a token response has neither expires_in nor expires_at. Default: 1h;"
                            + " 2h for newsletter2go and aweber.")
    private Long defaultExpiresIn;
    @UriParam(label = "timing", defaultValue = "30s", javaType = "java.time.Duration",
              description = "A token with less than this left counts as expired and callers wait for a refresh. Capped"
                            + " at 10% of the token's lifetime.")
    private long expiryMargin = 30_000;
    @UriParam(label = "timing", defaultValue = "5m", javaType = "java.time.Duration",
              description = "A token with less than this left is still handed out at once while one background refresh"
                            + " renews it. Capped at 25% of the token's lifetime.")
    private long refreshAhead = 300_000;
    @UriParam(label = "timing", defaultValue = "1s", javaType = "java.time.Duration",
              description = "The pause after a first retriable refresh failure; doubles with each further failure.")
    private long backoffInitialDelay = 1_000;
    @UriParam(label = "timing", defaultValue = "5m", javaType = "java.time.Duration",
              description = "The longest pause between refresh attempts after failures.")
    private long backoffMaxDelay = 300_000;

    @UriParam(label = "timing", javaType = "java.time.Duration",
              description = "How long a refresh token lives, when the provider documents it (newsletter2go: 30 days)."
                            + " Counted from when the component first received or was given the refresh token.")
    private Long refreshTokenLifetime;
    @UriParam(label = "timing", defaultValue = "7d", javaType = "java.time.Duration",
              description = "With a known refreshTokenLifetime: warn (log and a REFRESH_TOKEN_EXPIRING event) this long"
                            + " before the refresh token expires, so someone re-authorizes in time.")
    private long refreshTokenExpiryWarning = 7L * 24 * 3600 * 1000;
    @UriParam(label = "scheduler", defaultValue = "false",
              description = "Refresh each known account whose token is missing or expires within refreshWindow when the"
                            + " provider starts, before its routes take traffic; failures are logged as errors.")
    private boolean refreshOnStart;
    @UriParam(label = "scheduler",
              description = "A Quartz cron expression, such as every five minutes: the component adds a Quartz route that"
                            + " refreshes every account whose token expires within refreshWindow. A missed run"
                            + " (application down) runs once, not once per missed fire.")
    private String refreshCron;
    @UriParam(label = "scheduler", javaType = "java.time.Duration",
              description = "Like refreshCron, as a fixed interval (e.g. 5m). Unset or 0: no interval schedule.")
    private long refreshInterval;
    @UriParam(label = "scheduler", defaultValue = "10m", javaType = "java.time.Duration",
              description = "Scheduled and start-up refreshes renew the accounts whose token expires within this"
                            + " window; the others are left alone. Choose it longer than the schedule's period.")
    private long refreshWindow = 600_000;
    @UriParam(label = "scheduler", defaultValue = "4",
              description = "How many refreshes of the provider may run at once: background refreshes in the"
                            + " refresh-ahead window, and the accounts of a scheduled or start-up pass. Token calls use"
                            + " as many connections. A thread pool profile with id tokenrefresh, when the context has"
                            + " one, sizes the pool instead.")
    private int refreshConcurrency = 4;
    @UriParam(label = "scheduler",
              description = "Runs the refresh schedule (refreshCron or refreshInterval) on one context of the cluster"
                            + " only: the leader of this namespace of the context's CamelClusterService (its route"
                            + " reads from master:NAMESPACE:quartz:...; needs camel-master and a cluster service,"
                            + " e.g. camel-file's FileLockClusterService). Without it every replica runs the schedule,"
                            + " and the refresh lease keeps each account to one token call.")
    private String refreshClusterNamespace;

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

    @UriParam(label = "store",
              description = "The token store to use, a bean implementing TokenStore. Default: a file store in"
                            + " storeDirectory.")
    private TokenStore store;
    @UriParam(label = "store", defaultValue = "${user.home}/.camel-tokenrefresh",
              description = "The directory of the default file store. Only the owner may read it.")
    private String storeDirectory;
    @UriParam(label = "store", secret = true,
              description = "Encrypts file store records at rest with AES-GCM: a Base64 AES key of 16, 24 or 32 bytes,"
                            + " e.g. from {{env:...}} or a vault. Plain records are still read, and encrypted at their"
                            + " next save.")
    private String storeEncryptionKey;
    @UriParam(label = "store", defaultValue = "false",
              description = "Start even when the file store has files or directories that group or others can read"
                            + " or write (a warning instead of an error).")
    private boolean allowExposedStore;

    @UriParam(label = "authorization",
              description = "The authorization endpoint of the authorization-code flow (RFC 6749 4.1), which onboards an"
                            + " account: setting it enables operation=authorizationUrl and the callback. Default from the"
                            + " preset (aweber); none for oauth2.")
    private String authorizationUrl;
    @UriParam(label = "authorization",
              description = "The callback URL registered with the provider, where the authorization-code route template"
                            + " listens. Required with authorizationUrl.")
    private String redirectUri;
    @UriParam(label = "authorization",
              description = "The scope requested when an account is authorized, space separated. Default: none.")
    private String scope;
    @UriParam(label = "authorization", defaultValue = "true",
              description = "Use PKCE (RFC 7636, S256) in the authorization-code flow.")
    private boolean pkce = true;
    @UriParam(label = "authorization", secret = true,
              description = "The HMAC key (at least 32 bytes, e.g. 44 Base64 characters) that signs the state of the"
                            + " authorization-code flow and derives its PKCE verifiers; from a property or vault."
                            + " Required with authorizationUrl; replicas sharing a callback need the same key.")
    private String stateSecret;
    @UriParam(label = "authorization", defaultValue = "10m", javaType = "java.time.Duration",
              description = "How long an authorization link (its signed state) stays usable.")
    private long stateTtl = 600_000;

    public TokenRefreshConfiguration copy() {
        try {
            TokenRefreshConfiguration copy = (TokenRefreshConfiguration) clone();
            copy.headers = headers == null ? null : new LinkedHashMap<>(headers);
            copy.parameters = parameters == null ? null : new LinkedHashMap<>(parameters);
            copy.httpOptions = httpOptions == null ? null : new LinkedHashMap<>(httpOptions);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public Preset getPreset() {
        return preset;
    }

    public void setPreset(Preset preset) {
        this.preset = preset;
    }

    public String getTokenUrl() {
        return tokenUrl;
    }

    public void setTokenUrl(String tokenUrl) {
        this.tokenUrl = tokenUrl;
    }

    public boolean isInsecureHttp() {
        return insecureHttp;
    }

    public void setInsecureHttp(boolean insecureHttp) {
        this.insecureHttp = insecureHttp;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getAuthKey() {
        return authKey;
    }

    public void setAuthKey(String authKey) {
        this.authKey = authKey;
    }

    public ClientAuthentication getClientAuthentication() {
        return clientAuthentication;
    }

    public void setClientAuthentication(ClientAuthentication clientAuthentication) {
        this.clientAuthentication = clientAuthentication;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public FallbackGrantType getFallbackGrant() {
        return fallbackGrant;
    }

    public void setFallbackGrant(FallbackGrantType fallbackGrant) {
        this.fallbackGrant = fallbackGrant;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
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

    public Long getDefaultExpiresIn() {
        return defaultExpiresIn;
    }

    public void setDefaultExpiresIn(Long defaultExpiresIn) {
        this.defaultExpiresIn = defaultExpiresIn;
    }

    public long getExpiryMargin() {
        return expiryMargin;
    }

    public void setExpiryMargin(long expiryMargin) {
        this.expiryMargin = expiryMargin;
    }

    public long getRefreshAhead() {
        return refreshAhead;
    }

    public void setRefreshAhead(long refreshAhead) {
        this.refreshAhead = refreshAhead;
    }

    public long getBackoffInitialDelay() {
        return backoffInitialDelay;
    }

    public void setBackoffInitialDelay(long backoffInitialDelay) {
        this.backoffInitialDelay = backoffInitialDelay;
    }

    public long getBackoffMaxDelay() {
        return backoffMaxDelay;
    }

    public void setBackoffMaxDelay(long backoffMaxDelay) {
        this.backoffMaxDelay = backoffMaxDelay;
    }

    public Long getRefreshTokenLifetime() {
        return refreshTokenLifetime;
    }

    public void setRefreshTokenLifetime(Long refreshTokenLifetime) {
        this.refreshTokenLifetime = refreshTokenLifetime;
    }

    public long getRefreshTokenExpiryWarning() {
        return refreshTokenExpiryWarning;
    }

    public void setRefreshTokenExpiryWarning(long refreshTokenExpiryWarning) {
        this.refreshTokenExpiryWarning = refreshTokenExpiryWarning;
    }

    public boolean isRefreshOnStart() {
        return refreshOnStart;
    }

    public void setRefreshOnStart(boolean refreshOnStart) {
        this.refreshOnStart = refreshOnStart;
    }

    public String getRefreshCron() {
        return refreshCron;
    }

    public void setRefreshCron(String refreshCron) {
        this.refreshCron = refreshCron;
    }

    public long getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(long refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    public long getRefreshWindow() {
        return refreshWindow;
    }

    public void setRefreshWindow(long refreshWindow) {
        this.refreshWindow = refreshWindow;
    }

    public int getRefreshConcurrency() {
        return refreshConcurrency;
    }

    public void setRefreshConcurrency(int refreshConcurrency) {
        this.refreshConcurrency = refreshConcurrency;
    }

    public String getRefreshClusterNamespace() {
        return refreshClusterNamespace;
    }

    public void setRefreshClusterNamespace(String refreshClusterNamespace) {
        this.refreshClusterNamespace = refreshClusterNamespace;
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

    public TokenStore getStore() {
        return store;
    }

    public void setStore(TokenStore store) {
        this.store = store;
    }

    public String getStoreDirectory() {
        return storeDirectory;
    }

    public void setStoreDirectory(String storeDirectory) {
        this.storeDirectory = storeDirectory;
    }

    public String getStoreEncryptionKey() {
        return storeEncryptionKey;
    }

    public void setStoreEncryptionKey(String storeEncryptionKey) {
        this.storeEncryptionKey = storeEncryptionKey;
    }

    public boolean isAllowExposedStore() {
        return allowExposedStore;
    }

    public void setAllowExposedStore(boolean allowExposedStore) {
        this.allowExposedStore = allowExposedStore;
    }

    public String getAuthorizationUrl() {
        return authorizationUrl;
    }

    public void setAuthorizationUrl(String authorizationUrl) {
        this.authorizationUrl = authorizationUrl;
    }

    public String getRedirectUri() {
        return redirectUri;
    }

    public void setRedirectUri(String redirectUri) {
        this.redirectUri = redirectUri;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public boolean isPkce() {
        return pkce;
    }

    public void setPkce(boolean pkce) {
        this.pkce = pkce;
    }

    public String getStateSecret() {
        return stateSecret;
    }

    public void setStateSecret(String stateSecret) {
        this.stateSecret = stateSecret;
    }

    public long getStateTtl() {
        return stateTtl;
    }

    public void setStateTtl(long stateTtl) {
        this.stateTtl = stateTtl;
    }

    @Override
    public String toString() {
        return "TokenRefreshConfiguration[preset=" + preset + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
               + ", clientSecret=" + (clientSecret == null ? "none" : "***") + ", authKey="
               + (authKey == null ? "none" : "***") + ", refreshToken=" + (refreshToken == null ? "none" : "***")
               + ", password=" + (password == null ? "none" : "***") + ", stateSecret=" + (stateSecret == null ? "none" : "***")
               + "]";
    }
}
