package io.github.cameltokenrefresh;

import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.FallbackGrantType;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@link TokenRefreshConfiguration} that say who the client is and what it may use to obtain tokens: the
 * client credentials, the refresh token to start from and the unattended fallback grant. One of the option groups the
 * configuration is made of; configure a {@link TokenRefreshConfiguration}.
 */
@UriParams
public abstract class CredentialOptions extends DpopOptions {

    @UriParam(label = "security",
              description = "The OAuth2 client id. Not a secret (RFC 6749 section 2.2): logs and JMX may show it.")
    private String clientId;
    @UriParam(label = "security", secret = true, description = "The OAuth2 client secret.")
    private String clientSecret;
    @UriParam(label = "security", secret = true,
              description = "A ready Base64 value for the Basic Authorization header (the Newsletter2Go auth key), used"
                            + " instead of clientId and clientSecret.")
    private String authKey;
    @UriParam(label = "security",
              enums = "basic,post,none,private_key_jwt,client_secret_jwt,tls_client_auth,self_signed_tls_client_auth",
              description = "How the client authenticates: basic (Authorization header), post (client_id and"
                            + " client_secret parameters), none, private_key_jwt (a JWT signed with the signing key),"
                            + " client_secret_jwt (a JWT signed HS256 with clientSecret), tls_client_auth or"
                            + " self_signed_tls_client_auth (the client certificate of sslContextParameters)."
                            + " Default: basic.")
    private ClientAuthentication clientAuthentication;
    @UriParam(label = "security", secret = true,
              description = "The refresh token to start from. Used only while the store holds none for the account: a"
                            + " stored, newer one always wins.")
    private String refreshToken;
    @UriParam(label = "security", defaultValue = "none", enums = "none,password,client_credentials,jwt_bearer",
              description = "When the refresh token is dead or missing, obtain a new token pair unattended with this"
                            + " grant instead of failing: password (username and password; Newsletter2Go's documented"
                            + " authentication), client_credentials or jwt_bearer (RFC 7523: an assertion signed with"
                            + " the signing key).")
    private FallbackGrantType fallbackGrant = FallbackGrantType.none;
    @UriParam(label = "security", secret = true, description = "The username of the password fallback grant.")
    private String username;
    @UriParam(label = "security", secret = true, description = "The password of the password fallback grant.")
    private String password;

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
}
