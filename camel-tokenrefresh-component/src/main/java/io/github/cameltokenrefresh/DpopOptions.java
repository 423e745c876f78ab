package io.github.cameltokenrefresh;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@link TokenRefreshConfiguration} for DPoP (RFC 9449): whether token requests carry proofs, and the
 * key they are signed with. One of the option groups the configuration is made of; configure a
 * {@link TokenRefreshConfiguration}.
 */
@UriParams
public abstract class DpopOptions extends SigningOptions {

    @UriParam(label = "security", defaultValue = "false",
              description = "Send a DPoP proof (RFC 9449) with every token request, so the provider binds its tokens"
                            + " to this client's key; a DPoP-Nonce challenge is answered with one retry. Without"
                            + " dpopKeystore the key is an EC P-256 key made at start and kept in memory only.")
    private boolean dpop;
    @UriParam(label = "security",
              description = "The Java KeyStore or PKCS#12 file holding the DPoP key (EC P-256 or RSA): tokens bound to"
                            + " it stay usable after a restart. Default: a key made at start, in memory.")
    private String dpopKeystore;
    @UriParam(label = "security", secret = true,
              description = "The password of dpopKeystore (and of its key entry).")
    private String dpopKeystorePassword;
    @UriParam(label = "security",
              description = "The alias of the key entry in dpopKeystore. Default: its only key entry.")
    private String dpopKeyAlias;

    public boolean isDpop() {
        return dpop;
    }

    public void setDpop(boolean dpop) {
        this.dpop = dpop;
    }

    public String getDpopKeystore() {
        return dpopKeystore;
    }

    public void setDpopKeystore(String dpopKeystore) {
        this.dpopKeystore = dpopKeystore;
    }

    public String getDpopKeystorePassword() {
        return dpopKeystorePassword;
    }

    public void setDpopKeystorePassword(String dpopKeystorePassword) {
        this.dpopKeystorePassword = dpopKeystorePassword;
    }

    public String getDpopKeyAlias() {
        return dpopKeyAlias;
    }

    public void setDpopKeyAlias(String dpopKeyAlias) {
        this.dpopKeyAlias = dpopKeyAlias;
    }
}
