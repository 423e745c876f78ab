package io.github.cameltokenrefresh.mail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshComponent;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.cameltokenrefresh.mail.MailRoutes.ALICE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS schemes as docs/connectors.md configures them: {@code smtps}, {@code imaps}, {@code pop3s}, each naming the
 * mechanism under its own scheme ({@code mail.imaps.auth.mechanisms}); GreenMail's self-signed certificate trusted
 * through {@code mail.<scheme>.ssl.trust} (it names no host: test only). Each scheme signs in with the provider's token by XOAUTH2.
 */
class SecureMailProtocolsIT {

    /** Each poll connects anew: each is a sign-in. */
    private static final String POLL = "&disconnect=true&initialDelay=0&delay=100";

    @TempDir
    Path storeDir;

    @Test
    void smtpsImapsAndPop3sSignInWithTheToken() throws Exception {
        List<String> imaps = new CopyOnWriteArrayList<>();
        List<String> pop3s = new CopyOnWriteArrayList<>();
        try (MailServers servers = new MailServers(ServerSetupTest.SMTPS_POP3S_IMAPS, ALICE)) {
            DefaultCamelContext context = new DefaultCamelContext();
            try {
                TokenRefreshComponent component = new TokenRefreshComponent();
                context.addComponent("tokenrefresh", component);
                context.getRegistry().bind("mailbox", servers.provider(storeDir.toString()));
                TokenMailAuthenticator alice = new TokenMailAuthenticator(context, "mailbox", "default", ALICE);
                alice.setRefreshToken(servers.tokens.issueRefreshToken());
                context.getRegistry().bind("aliceMail", alice);
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:send").to(uri("smtps", servers.mail.getSmtps().getPort()) + "&from=" + ALICE
                                               + "&to=" + ALICE);
                        from(uri("imaps", servers.mail.getImaps().getPort()) + POLL + "&delete=false&unseen=false")
                                .process(e -> imaps.add(e.getMessage().getHeader("Subject", String.class)));
                        from(uri("pop3s", servers.mail.getPop3s().getPort()) + POLL + "&delete=false")
                                .process(e -> pop3s.add(e.getMessage().getHeader("Subject", String.class)));
                    }
                });
                context.start();

                Exchange sent = context.createProducerTemplate().request("direct:send", e -> {
                    e.getMessage().setHeader("Subject", "over tls");
                    e.getMessage().setBody("hello");
                });
                assertFalse(sent.isFailed(), () -> String.valueOf(sent.getException()));
                await().atMost(Duration.ofSeconds(20)).until(() -> imaps.contains("over tls") && pop3s.contains("over tls"));

                String token = TestContexts.component(context).tokens("mailbox").account("default").token().getAccessToken();
                assertEquals(1, servers.tokens.tokenCalls());
                assertTrue(servers.signIns.size() >= 3, "smtps, imaps and pop3s each signed in");
                assertTrue(servers.signIns.stream().allMatch(s -> s.accepted() && s.accessToken().equals(token)),
                           "every sign-in carried the provider's token");
            } finally {
                context.stop();
            }
        }
    }

    private static String uri(String scheme, int port) {
        return scheme + "://localhost:" + port + "?authenticator=#aliceMail&mail." + scheme + ".auth.mechanisms=XOAUTH2"
               + "&mail." + scheme + ".ssl.trust=*&mail." + scheme + ".ssl.checkserveridentity=false";
    }
}
