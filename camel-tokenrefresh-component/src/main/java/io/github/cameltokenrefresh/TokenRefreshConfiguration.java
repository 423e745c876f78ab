package io.github.cameltokenrefresh;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cameltokenrefresh.store.TokenStore;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Everything that describes one provider: its token endpoint and dialect, credentials, refresh timing and store. Set
 * on the component (defaults for every provider), as a bean named after the provider, or on one endpoint URI; every
 * endpoint naming the provider then shares it. Options left unset take the preset's defaults.
 * <p>
 * The options are grouped by concern in the classes this one extends ({@link TokenCallOptions},
 * {@link CredentialOptions}, {@link RefreshTimingOptions}, {@link RefreshScheduleOptions}); this class adds the store
 * and the authorization-code flow. Camel's generator reads the whole hierarchy as one set of options.
 */
@Configurer
@UriParams
public class TokenRefreshConfiguration extends RefreshScheduleOptions implements Cloneable {

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
    @UriParam(label = "authorization",
              description = "Query parameters of the authorization callback kept as account attributes, comma"
                            + " separated, e.g. realmId (QuickBooks) or shop (Shopify). Default: none.")
    private String callbackAttributes;
    @UriParam(label = "authorization", prefix = "authParam.", multiValue = true,
              description = "Extra parameters of the authorization link, e.g. authParam.access_type=offline and"
                            + " authParam.prompt=consent (Google, to be granted a refresh token).")
    private Map<String, Object> authorizationParameters;
    @UriParam(label = "authorization", defaultValue = "10m", javaType = "java.time.Duration",
              description = "How long an authorization link (its signed state) stays usable.")
    private long stateTtl = 600_000;
    @UriParam(label = "authorization",
              description = "The provider's name as the customer knows it, shown on the callback pages (\"Your AWeber"
                            + " account is connected\"). Default: the provider's name.")
    private String providerDisplayName;
    @UriParam(label = "authorization",
              description = "Your own page for the authorization callback's answers: a Camel resource (classpath:,"
                            + " file:) of HTML with Simple placeholders such as ${variable.title} (see"
                            + " docs/onboarding.md). Default: the component's page, tokenrefresh/callback-page.html.")
    private String callbackPage;
    @UriParam(label = "authorization",
              description = "Your own texts for the callback pages: a Camel resource (classpath:, file:) of properties"
                            + " whose keys replace the component's (tokenrefresh/callback-messages.properties); a"
                            + " sibling name_xx.properties is used for browsers asking for language xx (de, fr)."
                            + " Default: the component's English texts.")
    private String callbackMessages;

    public TokenRefreshConfiguration copy() {
        try {
            TokenRefreshConfiguration copy = (TokenRefreshConfiguration) clone();
            copy.setHeaders(getHeaders() == null ? null : new LinkedHashMap<>(getHeaders()));
            copy.setParameters(getParameters() == null ? null : new LinkedHashMap<>(getParameters()));
            copy.setHttpOptions(getHttpOptions() == null ? null : new LinkedHashMap<>(getHttpOptions()));
            copy.setAuthorizationParameters(
                    getAuthorizationParameters() == null ? null : new LinkedHashMap<>(getAuthorizationParameters()));
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
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

    public Map<String, Object> getAuthorizationParameters() {
        return authorizationParameters;
    }

    public void setAuthorizationParameters(Map<String, Object> authorizationParameters) {
        this.authorizationParameters = authorizationParameters;
    }

    public String getCallbackAttributes() {
        return callbackAttributes;
    }

    public void setCallbackAttributes(String callbackAttributes) {
        this.callbackAttributes = callbackAttributes;
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

    public String getProviderDisplayName() {
        return providerDisplayName;
    }

    public void setProviderDisplayName(String providerDisplayName) {
        this.providerDisplayName = providerDisplayName;
    }

    public String getCallbackPage() {
        return callbackPage;
    }

    public void setCallbackPage(String callbackPage) {
        this.callbackPage = callbackPage;
    }

    public String getCallbackMessages() {
        return callbackMessages;
    }

    public void setCallbackMessages(String callbackMessages) {
        this.callbackMessages = callbackMessages;
    }

    @Override
    public String toString() {
        return "TokenRefreshConfiguration[preset=" + getPreset() + ", tokenUrl=" + getTokenUrl() + ", clientId=" + getClientId()
               + ", clientSecret=" + (getClientSecret() == null ? "none" : "***") + ", authKey="
               + (getAuthKey() == null ? "none" : "***") + ", refreshToken=" + (getRefreshToken() == null ? "none" : "***")
               + ", password=" + (getPassword() == null ? "none" : "***") + ", stateSecret=" + (stateSecret == null ? "none" : "***")
               + ", clientAuthentication=" + getClientAuthentication() + ", signingKeystorePassword="
               + (getSigningKeystorePassword() == null ? "none" : "***") + ", signingKeyPassword="
               + (getSigningKeyPassword() == null ? "none" : "***") + ", dpop=" + isDpop() + ", dpopKeystorePassword="
               + (getDpopKeystorePassword() == null ? "none" : "***") + "]";
    }
}
