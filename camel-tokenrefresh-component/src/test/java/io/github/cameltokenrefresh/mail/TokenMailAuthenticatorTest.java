package io.github.cameltokenrefresh.mail;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.cameltokenrefresh.InMemoryTokenEndpoint;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the authenticator answers, without a mail server: camel-mail's question before a connect gets the current
 * token; JavaMail's second question of the same connect (through {@link Session#requestPasswordAuthentication}, as
 * {@code Service.connect} asks after the server refused) gets a token refreshed once per refused token.
 */
class TokenMailAuthenticatorTest {

    private static final String ALICE = "alice@example.test";

    private final DefaultCamelContext context = new DefaultCamelContext();
    private Map<String, InMemoryTokenEndpoint> endpoints;
    private TokenMailAuthenticator authenticator;
    private Session session;

    @BeforeEach
    void start() {
        endpoints = InMemoryTokenEndpoint.install(context);
        // a provider bean: it stays in the registry when the context stops (the component does not)
        TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
        provider.setStore(new MemoryTokenStore());
        provider.setTokenUrl("https://auth.example.com/token");
        provider.setClientId("client");
        provider.setClientSecret("secret");
        context.getRegistry().bind("mailbox", provider);
        context.start();
        authenticator = new TokenMailAuthenticator(context, "mailbox", "alice", ALICE);
        authenticator.setRefreshToken("rt-0");
        session = Session.getInstance(new Properties(), authenticator);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    /** What JavaMail's Service.connect does after the server refused the password it connected with. */
    private PasswordAuthentication askedAgainAfterRefusal() {
        return session.requestPasswordAuthentication(null, 993, "imaps", null, ALICE);
    }

    @Test
    void answersTheMailboxUserAndTheCurrentTokenBeforeEachConnect() {
        PasswordAuthentication first = authenticator.getPasswordAuthentication();
        PasswordAuthentication second = authenticator.getPasswordAuthentication();

        assertEquals(ALICE, first.getUserName());
        assertEquals("mailbox-at-1", first.getPassword());
        assertEquals("mailbox-at-1", second.getPassword(), "a fresh token is served again");
        assertEquals(1, endpoints.get("mailbox").calls());
    }

    @Test
    void aRefusedTokenIsRefreshedOnceHoweverManyConnectionsItFailedOn() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertEquals("mailbox-at-1", authenticator.getPasswordAuthentication().getPassword());
            // another connection, on another thread, signs in with the same token
            assertEquals("mailbox-at-1", other.submit(() -> authenticator.getPasswordAuthentication().getPassword()).get());

            PasswordAuthentication retried = askedAgainAfterRefusal();
            assertEquals(ALICE, retried.getUserName());
            assertEquals("mailbox-at-2", retried.getPassword());
            assertEquals(2, endpoints.get("mailbox").calls());

            // the other connection's refusal of the same token gets the new one without another refresh
            assertEquals("mailbox-at-2", other.submit(() -> askedAgainAfterRefusal().getPassword()).get());
            assertEquals(2, endpoints.get("mailbox").calls());

            // the new token refused in turn: one more refresh
            assertEquals("mailbox-at-3", askedAgainAfterRefusal().getPassword());
            assertEquals(3, endpoints.get("mailbox").calls());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aMissingOptionFailsNamingIt() {
        TokenMailAuthenticator noUser = new TokenMailAuthenticator(context, "mailbox", "alice", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, noUser::getPasswordAuthentication);
        assertTrue(e.getMessage().contains("username"), e.getMessage());

        TokenMailAuthenticator noProvider = new TokenMailAuthenticator(context, " ", "alice", ALICE);
        e = assertThrows(IllegalArgumentException.class, noProvider::getPasswordAuthentication);
        assertTrue(e.getMessage().contains("provider"), e.getMessage());
    }

    @Test
    void toStringNamesTheAccountAndNoSecret() {
        authenticator.getPasswordAuthentication();
        String text = authenticator.toString();
        assertTrue(text.contains("mailbox") && text.contains(ALICE), text);
        assertFalse(text.contains("mailbox-at-1") || text.contains("rt-0"), text);
    }
}
