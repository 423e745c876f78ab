package io.github.cameltokenrefresh.mail;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshComponent;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A Camel context reading and sending mail through camel-mail endpoints that sign in with {@link TokenMailAuthenticator}
 * beans: SMTP as alice, IMAP into alice's inbox, POP3 into bob's; each poll connects anew ({@code disconnect=true}),
 * so every poll is a sign-in with the token of the moment. Provider {@code mailbox} is a bean; its accounts alice and bob
 * start from refresh tokens the token server issued.
 */
final class MailRoutes implements AutoCloseable {

    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";

    final DefaultCamelContext context = new DefaultCamelContext();
    final List<String> aliceInbox = new CopyOnWriteArrayList<>();
    final List<String> bobInbox = new CopyOnWriteArrayList<>();
    private final MailServers servers;

    MailRoutes(MailServers servers, Path storeDir, boolean javaMailDebug) throws Exception {
        this.servers = servers;
        TokenRefreshComponent component = new TokenRefreshComponent();
        context.addComponent("tokenrefresh", component);
        TestContexts.clock(component, servers.clock);
        context.getRegistry().bind("mailbox", servers.provider(storeDir.toString()));
        context.getRegistry().bind("aliceMail", new TokenMailAuthenticator(context, "mailbox", "alice", ALICE));
        context.getRegistry().bind("bobMail", new TokenMailAuthenticator(context, "mailbox", "bob", BOB));
        context.start();
        component.tokens("mailbox").account("alice").supplyRefreshToken(servers.tokens.issueRefreshToken());
        component.tokens("mailbox").account("bob").supplyRefreshToken(servers.tokens.issueRefreshToken());
        String debug = "&debugMode=" + javaMailDebug;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to(smtpUri() + debug);
                from(imapUri() + debug).process(e -> aliceInbox.add(e.getMessage().getHeader("Subject", String.class)));
                from(pop3Uri() + debug).process(e -> bobInbox.add(e.getMessage().getHeader("Subject", String.class)));
            }
        });
    }

    String smtpUri() {
        return "smtp://localhost:" + servers.smtpPort() + "?authenticator=#aliceMail&mail.smtp.auth.mechanisms=XOAUTH2"
               + "&from=" + ALICE;
    }

    String imapUri() {
        return "imap://localhost:" + servers.imapPort() + "?authenticator=#aliceMail&mail.imap.auth.mechanisms=XOAUTH2"
               + "&disconnect=true&initialDelay=0&delay=50";
    }

    String pop3Uri() {
        return "pop3://localhost:" + servers.pop3Port() + "?authenticator=#bobMail&mail.pop3.auth.mechanisms=XOAUTH2"
               + "&disconnect=true&delete=true&initialDelay=0&delay=50";
    }

    /** Sends one mail as alice to the given mailboxes; fails the test when camel-mail could not send it. */
    void send(String subject, String... to) {
        var exchange = context.createProducerTemplate().request("direct:send", e -> {
            e.getMessage().setHeader("Subject", subject);
            e.getMessage().setHeader("To", String.join(",", to));
            e.getMessage().setBody("round " + subject);
        });
        if (exchange.getException() != null) {
            throw new AssertionError("sending " + subject + " failed", exchange.getException());
        }
    }

    TokenRefreshComponent component() {
        return TestContexts.component(context);
    }

    @Override
    public void close() {
        context.stop();
    }
}
