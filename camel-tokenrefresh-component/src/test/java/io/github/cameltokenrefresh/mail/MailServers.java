package io.github.cameltokenrefresh.mail;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.user.UserImpl;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;

/**
 * The two real servers of the mail tests: a strict token server (RFC 6749, client secret, rotating refresh tokens,
 * short-lived access tokens on a clock the test moves) and GreenMail (SMTP, IMAP, POP3 with SASL XOAUTH2) whose
 * mailboxes accept only an access token the token server issued and still holds valid: GreenMail's own token check
 * ({@code UserImpl.setTokenValidator}), which replaces its password check.
 */
final class MailServers implements AutoCloseable {

    static final String CLIENT_ID = "mail-client";
    static final String CLIENT_SECRET = "mail-client-secret";
    static final long LIFETIME_SECONDS = 300;

    /** One sign-in as GreenMail saw it: the mailbox, the token and whether the token server held it valid. */
    record SignIn(String mailbox, String accessToken, boolean accepted) {
    }

    final MutableClock clock = new MutableClock(Instant.now());
    final StrictTokenServer tokens;
    final GreenMail mail;
    final List<SignIn> signIns = new CopyOnWriteArrayList<>();

    /** SMTP, IMAP and POP3 without TLS. */
    MailServers(String... mailboxes) {
        this(ServerSetupTest.SMTP_POP3_IMAP, mailboxes);
    }

    /** The given GreenMail servers, on free ports. */
    MailServers(ServerSetup[] protocols, String... mailboxes) {
        tokens = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials(CLIENT_ID, CLIENT_SECRET)
                .rotateRefreshTokens(true).expiresIn(LIFETIME_SECONDS).clock(clock);
        mail = new GreenMail(ServerSetup.dynamicPort(protocols));
        mail.start();
        for (String mailbox : mailboxes) {
            UserImpl user = (UserImpl) mail.setUser(mailbox, mailbox, "no password: tokens only");
            user.setTokenValidator(token -> {
                boolean valid = tokens.isAccessTokenValid(token);
                signIns.add(new SignIn(mailbox, token, valid));
                return valid;
            });
        }
    }

    /** The provider bean: plain OAuth2 against the token server, its refresh tokens supplied per account. */
    TokenRefreshConfiguration provider(String storeDirectory) {
        TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
        provider.setTokenUrl(tokens.tokenUrl());
        provider.setInsecureHttp(true);
        provider.setClientId(CLIENT_ID);
        provider.setClientSecret(CLIENT_SECRET);
        provider.setStoreDirectory(storeDirectory);
        return provider;
    }

    int smtpPort() {
        return mail.getSmtp().getPort();
    }

    int imapPort() {
        return mail.getImap().getPort();
    }

    int pop3Port() {
        return mail.getPop3().getPort();
    }

    List<SignIn> signInsOf(String mailbox) {
        return signIns.stream().filter(s -> s.mailbox().equals(mailbox)).toList();
    }

    List<SignIn> refused() {
        return signIns.stream().filter(s -> !s.accepted()).toList();
    }

    @Override
    public void close() {
        mail.stop();
        tokens.close();
    }
}
