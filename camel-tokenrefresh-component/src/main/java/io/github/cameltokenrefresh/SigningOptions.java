package io.github.cameltokenrefresh;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@link TokenRefreshConfiguration} for JWTs the client signs: the signing key of
 * {@code clientAuthentication=private_key_jwt} and of the JWT bearer grant, from a keystore or PEM files, and what the
 * JWTs claim. One of the option groups the configuration is made of; configure a {@link TokenRefreshConfiguration}.
 */
@UriParams
public abstract class SigningOptions extends TokenCallOptions {

    @UriParam(label = "security",
              description = "The Java KeyStore or PKCS#12 file holding the private key (and certificate) that signs"
                            + " client assertions (clientAuthentication=private_key_jwt) and JWT bearer assertions"
                            + " (fallbackGrant=jwt_bearer). Or use signingKeyFile.")
    private String signingKeystore;
    @UriParam(label = "security", secret = true, description = "The password of signingKeystore.")
    private String signingKeystorePassword;
    @UriParam(label = "security",
              description = "The alias of the key entry in signingKeystore. Default: its only key entry.")
    private String signingKeyAlias;
    @UriParam(label = "security", secret = true,
              description = "The password of the key entry in signingKeystore. Default: signingKeystorePassword.")
    private String signingKeyPassword;
    @UriParam(label = "security",
              description = "A PEM file holding an unencrypted PKCS#8 private key (RSA or EC P-256), only its owner may"
                            + " read it: the signing key when no signingKeystore is set.")
    private String signingKeyFile;
    @UriParam(label = "security",
              description = "A PEM file holding the X.509 certificate of signingKeyFile: the JWT header then carries"
                            + " its SHA-256 thumbprint (x5t#S256), as Microsoft Entra ID's certificate credentials"
                            + " want. Default: none.")
    private String signingCertificateFile;
    @UriParam(label = "security", enums = "RS256,PS256,ES256",
              description = "The JWS algorithm of signed JWTs: RS256, PS256 (RSA keys) or ES256 (EC P-256 keys)."
                            + " Default: RS256 for an RSA key, ES256 for an EC key.")
    private String signingAlgorithm;
    @UriParam(label = "security",
              description = "The kid header of signed JWTs: the key's id in the JWKS registered with the provider."
                            + " Default: none.")
    private String signingKeyId;
    @UriParam(label = "security",
              description = "The aud claim of client assertions (private_key_jwt, client_secret_jwt). Default: the"
                            + " token URL (RFC 7523 section 3).")
    private String clientAssertionAudience;
    @UriParam(label = "security", defaultValue = "60s", javaType = "java.time.Duration",
              description = "How long a client assertion is valid (exp - iat); each token call signs a new one.")
    private long clientAssertionLifetime = 60_000;
    @UriParam(label = "security",
              description = "The iss claim of the JWT bearer grant's assertion. Default: clientId (Google: the service"
                            + " account's e-mail).")
    private String jwtBearerIssuer;
    @UriParam(label = "security",
              description = "The sub claim of the JWT bearer grant's assertion (Salesforce: the user name). Default:"
                            + " the account name, so each account acts for its own subject.")
    private String jwtBearerSubject;
    @UriParam(label = "security",
              description = "The aud claim of the JWT bearer grant's assertion. Default: the token URL.")
    private String jwtBearerAudience;
    @UriParam(label = "security",
              description = "The scope the JWT bearer grant asks for, space separated: sent as the scope parameter and"
                            + " as a scope claim (Google reads it there). Default: none.")
    private String jwtBearerScope;
    @UriParam(label = "security", defaultValue = "60s", javaType = "java.time.Duration",
              description = "How long the JWT bearer grant's assertion is valid (exp - iat); each call signs a new"
                            + " one.")
    private long jwtBearerLifetime = 60_000;

    public String getSigningKeystore() {
        return signingKeystore;
    }

    public void setSigningKeystore(String signingKeystore) {
        this.signingKeystore = signingKeystore;
    }

    public String getSigningKeystorePassword() {
        return signingKeystorePassword;
    }

    public void setSigningKeystorePassword(String signingKeystorePassword) {
        this.signingKeystorePassword = signingKeystorePassword;
    }

    public String getSigningKeyAlias() {
        return signingKeyAlias;
    }

    public void setSigningKeyAlias(String signingKeyAlias) {
        this.signingKeyAlias = signingKeyAlias;
    }

    public String getSigningKeyPassword() {
        return signingKeyPassword;
    }

    public void setSigningKeyPassword(String signingKeyPassword) {
        this.signingKeyPassword = signingKeyPassword;
    }

    public String getSigningKeyFile() {
        return signingKeyFile;
    }

    public void setSigningKeyFile(String signingKeyFile) {
        this.signingKeyFile = signingKeyFile;
    }

    public String getSigningCertificateFile() {
        return signingCertificateFile;
    }

    public void setSigningCertificateFile(String signingCertificateFile) {
        this.signingCertificateFile = signingCertificateFile;
    }

    public String getSigningAlgorithm() {
        return signingAlgorithm;
    }

    public void setSigningAlgorithm(String signingAlgorithm) {
        this.signingAlgorithm = signingAlgorithm;
    }

    public String getSigningKeyId() {
        return signingKeyId;
    }

    public void setSigningKeyId(String signingKeyId) {
        this.signingKeyId = signingKeyId;
    }

    public String getClientAssertionAudience() {
        return clientAssertionAudience;
    }

    public void setClientAssertionAudience(String clientAssertionAudience) {
        this.clientAssertionAudience = clientAssertionAudience;
    }

    public long getClientAssertionLifetime() {
        return clientAssertionLifetime;
    }

    public void setClientAssertionLifetime(long clientAssertionLifetime) {
        this.clientAssertionLifetime = clientAssertionLifetime;
    }

    public String getJwtBearerIssuer() {
        return jwtBearerIssuer;
    }

    public void setJwtBearerIssuer(String jwtBearerIssuer) {
        this.jwtBearerIssuer = jwtBearerIssuer;
    }

    public String getJwtBearerSubject() {
        return jwtBearerSubject;
    }

    public void setJwtBearerSubject(String jwtBearerSubject) {
        this.jwtBearerSubject = jwtBearerSubject;
    }

    public String getJwtBearerAudience() {
        return jwtBearerAudience;
    }

    public void setJwtBearerAudience(String jwtBearerAudience) {
        this.jwtBearerAudience = jwtBearerAudience;
    }

    public String getJwtBearerScope() {
        return jwtBearerScope;
    }

    public void setJwtBearerScope(String jwtBearerScope) {
        this.jwtBearerScope = jwtBearerScope;
    }

    public long getJwtBearerLifetime() {
        return jwtBearerLifetime;
    }

    public void setJwtBearerLifetime(long jwtBearerLifetime) {
        this.jwtBearerLifetime = jwtBearerLifetime;
    }
}
