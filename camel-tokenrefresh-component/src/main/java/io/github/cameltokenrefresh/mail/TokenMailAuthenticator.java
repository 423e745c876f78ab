package io.github.cameltokenrefresh.mail;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.token.AccountTokens;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.mail.MailAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mail's {@code authenticator} backed by an account of a tokenrefresh provider: answers the mailbox user and
 * the account's current access token, for SASL XOAUTH2 on {@code imap(s)}, {@code pop3(s)} and {@code smtp(s)}
 * endpoints ({@code authenticator=#bean} with {@code mail.<protocol>.auth.mechanisms=XOAUTH2}: docs/connectors.md).
 * <p>
 * camel-mail asks it before every connect. When the server refuses the token, JavaMail's {@code Service.connect} asks
 * the session's authenticator once more and reconnects with its answer: that second question is told apart by its
 * caller ({@link Authenticator}, whose {@code requestPasswordAuthentication} only JavaMail calls) and answered with
 * {@link AccountTokens#refreshIfCurrent(String)} of the token this thread handed out, so a refused token is refreshed
 * once, in the account's single flight, however many connections it failed on.
 */
public final class TokenMailAuthenticator extends MailAuthenticator implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(TokenMailAuthenticator.class);
    private static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private CamelContext camelContext;
    private String component = "tokenrefresh";
    private String provider;
    private String account = "default";
    private String username;
    private String refreshToken;
    /** The access token last handed out on each thread: what the server refused when JavaMail asks again. */
    private final ThreadLocal<String> handedOut = new ThreadLocal<>();

    public TokenMailAuthenticator() {
    }

    /** For Java code: the mailbox {@code username} signs in with the tokens of {@code provider}'s {@code account}. */
    public TokenMailAuthenticator(CamelContext camelContext, String provider, String account, String username) {
        this.camelContext = camelContext;
        this.provider = provider;
        this.account = account;
        this.username = username;
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        boolean refused = CALLER.getCallerClass() == Authenticator.class;
        AccountTokens account = tokens();
        String accessToken;
        String previous = handedOut.get();
        if (refused && previous != null) {
            LOG.info("The mail server refused the access token of provider {} account {} for {}: signing in again with"
                     + " a refreshed token (one refresh per refused token, shared)", provider, this.account, username);
            accessToken = account.refreshIfCurrent(previous).getAccessToken();
        } else {
            accessToken = account.token().getAccessToken();
        }
        handedOut.set(accessToken);
        return new PasswordAuthentication(username, accessToken);
    }

    /**
     * The account's tokens, looked up at each connection (a map read next to a network connect): the provider starts
     * on first use, and one started anew (a reloaded route, a restarted context) is the one found.
     */
    private AccountTokens tokens() {
        return component().tokens(provider, account, refreshToken);
    }

    /** The tokenrefresh component; a missing option fails here, as camel-mail creates the endpoint's consumer or producer. */
    private TokenRefreshComponent component() {
        if (camelContext == null) {
            throw new IllegalStateException("TokenMailAuthenticator: no CamelContext; create it with the context, or as"
                                            + " a bean of the context (YAML beans, camel.beans.*)");
        }
        required("provider", provider);
        required("account", account);
        required("username", username);
        return camelContext.getComponent(component, TokenRefreshComponent.class);
    }

    private static void required(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("TokenMailAuthenticator: option " + option + " is required");
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public String getComponent() {
        return component;
    }

    /** The name of the tokenrefresh component in the context; default {@code tokenrefresh}. */
    public void setComponent(String component) {
        this.component = component;
    }

    public String getProvider() {
        return provider;
    }

    /** The tokenrefresh provider whose tokens sign in (required). */
    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getAccount() {
        return account;
    }

    /** The provider's account holding the mailbox's refresh token; default {@code default}. */
    public void setAccount(String account) {
        this.account = account;
    }

    public String getUsername() {
        return username;
    }

    /** The mailbox user the server expects in the XOAUTH2 initial response, usually its address (required). */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    /**
     * The account's refresh token to start from, used only while the store holds none for it (as the endpoint option
     * {@code refreshToken}); unset when the account was authorized through the callback route or seeded in the store.
     */
    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    @Override
    public String toString() {
        return "TokenMailAuthenticator[provider=" + provider + ", account=" + account + ", username=" + username + "]";
    }
}
