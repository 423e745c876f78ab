package io.github.cameltokenrefresh.mail;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.cameltokenrefresh.mail.MailRoutes.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authenticator configured as users write it outside Java: a YAML DSL bean, and Camel Main properties
 * ({@code camel.beans.*}, as in application.properties). Either way Camel hands it the context, and the mail it sends
 * signs in with the provider's token.
 */
class MailAuthenticatorConfigurationIT {

    @TempDir
    Path storeDir;

    private MailServers servers;
    private String refreshToken;

    @BeforeEach
    void start() {
        servers = new MailServers(ALICE);
        refreshToken = servers.tokens.issueRefreshToken();
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    private Map<String, String> properties() {
        return Map.of("mailbox.token-url", servers.tokens.tokenUrl(), "mailbox.client-id", MailServers.CLIENT_ID,
                      "mailbox.client-secret", MailServers.CLIENT_SECRET, "mailbox.refresh-token", refreshToken,
                      "mailbox.store-directory", storeDir.toString(), "smtp.port", String.valueOf(servers.smtpPort()));
    }

    /** One mail through direct:send reaches alice's mailbox, signed in with the one token the provider obtained. */
    private void assertSendsWithTheProvidersToken(CamelContext context) throws Exception {
        Exchange sent = context.createProducerTemplate().request("direct:send", e -> {
            e.getMessage().setHeader("Subject", "configured");
            e.getMessage().setBody("hello");
        });
        if (sent.getException() != null) {
            throw new AssertionError("sending failed", sent.getException());
        }
        assertTrue(servers.mail.waitForIncomingEmail(10_000, 1));
        MimeMessage received = servers.mail.getReceivedMessagesForDomain(ALICE)[0];
        assertEquals("configured", received.getSubject());
        assertEquals(1, servers.tokens.tokenCalls());
        String token = context.getComponent("tokenrefresh", TokenRefreshComponent.class).tokens("mailbox")
                .account("default").token().getAccessToken();
        assertEquals(servers.tokens.issuedAccessTokens(), java.util.List.of(token));
        assertTrue(servers.signIns.stream().allMatch(s -> s.accepted() && s.accessToken().equals(token)),
                   "every sign-in carried the provider's token");
        assertTrue(!servers.signIns.isEmpty(), "the SMTP server saw no sign-in");
    }

    @Test
    void yamlBeans() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            Properties initial = new Properties();
            initial.putAll(properties());
            context.getPropertiesComponent().setInitialProperties(initial);
            Resource resource = PluginHelper.getResourceLoader(context)
                    .resolveResource("classpath:io/github/cameltokenrefresh/mail/mail-send-route.yaml");
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            context.start();
            assertSendsWithTheProvidersToken(context);
        } finally {
            context.stop();
        }
    }

    @Test
    void camelMainProperties() throws Exception {
        Main main = new Main();
        properties().forEach(main::addInitialProperty);
        main.addInitialProperty("camel.beans.mailbox", "#class:io.github.cameltokenrefresh.TokenRefreshConfiguration");
        main.addInitialProperty("camel.beans.mailbox.tokenUrl", "{{mailbox.token-url}}");
        main.addInitialProperty("camel.beans.mailbox.clientId", "{{mailbox.client-id}}");
        main.addInitialProperty("camel.beans.mailbox.clientSecret", "{{mailbox.client-secret}}");
        main.addInitialProperty("camel.beans.mailbox.storeDirectory", "{{mailbox.store-directory}}");
        main.addInitialProperty("camel.beans.mailbox.insecureHttp", "true");
        main.addInitialProperty("camel.beans.aliceMail", "#class:io.github.cameltokenrefresh.mail.TokenMailAuthenticator");
        main.addInitialProperty("camel.beans.aliceMail.provider", "mailbox");
        main.addInitialProperty("camel.beans.aliceMail.username", ALICE);
        main.addInitialProperty("camel.beans.aliceMail.refreshToken", "{{mailbox.refresh-token}}");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("smtp://localhost:{{smtp.port}}?authenticator=#aliceMail"
                                       + "&mail.smtp.auth.mechanisms=XOAUTH2&from=" + ALICE + "&to=" + ALICE);
            }
        });
        try {
            main.start();
            assertSendsWithTheProvidersToken(main.getCamelContext());
        } finally {
            main.stop();
        }
    }
}
