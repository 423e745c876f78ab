package io.github.cameltokenrefresh.mail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.cameltokenrefresh.mail.MailServers.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.cameltokenrefresh.mail.MailRoutes.ALICE;
import static io.github.cameltokenrefresh.mail.MailRoutes.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receiving (IMAP, POP3) and sending (SMTP) through camel-mail endpoints signed in by SASL XOAUTH2 with
 * {@link TokenMailAuthenticator}, against GreenMail that accepts only a token the strict token server holds valid:
 * several token lifetimes with rotating refresh tokens, and a revoked token refreshed once and reconnected.
 */
class TokenMailAuthenticatorIT {

    private static final Duration PAST_LIFETIME = Duration.ofSeconds(MailServers.LIFETIME_SECONDS + 1);

    @TempDir
    Path storeDir;

    private MailServers servers;
    private MailRoutes routes;

    @BeforeEach
    void start() throws Exception {
        servers = new MailServers(ALICE, BOB);
        routes = new MailRoutes(servers, storeDir, false);
    }

    @AfterEach
    void stop() {
        if (routes != null) {
            routes.close();
        }
        servers.close();
    }

    /** One mail from alice to alice and bob, read by the IMAP and the POP3 consumer. */
    private void round(String subject) {
        routes.send(subject, ALICE, BOB);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> routes.aliceInbox.contains(subject) && routes.bobInbox.contains(subject));
    }

    @Test
    void everySignInCarriesTheCurrentTokenAcrossSeveralLifetimes() {
        List<String> refreshTokens = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (int lifetime = 1; lifetime <= 3; lifetime++) {
            round("lifetime-" + lifetime);
            refreshTokens.add(servers.tokens.currentRefreshToken());
            // each account refreshed once per lifetime, however many polls and sends signed in meanwhile
            assertEquals(2 * lifetime, servers.tokens.tokenCalls());
            if (lifetime < 3) {
                expired.add(currentToken("alice"));
                expired.add(currentToken("bob"));
                servers.clock.advance(PAST_LIFETIME);
            }
        }
        // every sign-in GreenMail accepted carried a token the token server held valid at that moment; it refused
        // only a token that expired between a poll's question and its sign-in (the clock moved meanwhile), and that
        // poll then signed in with the refreshed one
        assertTrue(expired.containsAll(servers.refused().stream().map(SignIn::accessToken).toList()),
                   "a sign-in carried a token that was not current");
        assertEquals(3, servers.signInsOf(ALICE).stream().map(SignIn::accessToken).distinct().count());
        assertEquals(3, servers.signInsOf(BOB).stream().map(SignIn::accessToken).distinct().count());
        // each lifetime: one SMTP send and at least one IMAP poll that found its message, each a sign-in of its own
        assertTrue(servers.signInsOf(ALICE).size() >= 6, "IMAP polls and SMTP sends each signed in");
        // the refresh tokens rotated: each lifetime left another current one
        assertEquals(3, refreshTokens.stream().distinct().count());
        assertEquals(List.of(), servers.tokens.rejections());
    }

    private String currentToken(String account) {
        return routes.component().tokens("mailbox").account(account).token().getAccessToken();
    }

    @Test
    void aRevokedTokenIsRefreshedOnceAndTheConnectionsSignInAgain() throws Exception {
        round("before");
        String revoked = currentToken("alice");
        int callsBefore = servers.tokens.tokenCalls();
        servers.tokens.revokeAccessToken(revoked);

        // four senders at once and alice's IMAP polls all meet the refusal: one refresh serves them all
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String subject = "after-" + i;
                sent.add(senders.submit(() -> routes.send(subject, ALICE)));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> routes.aliceInbox.containsAll(
                List.of("after-0", "after-1", "after-2", "after-3")));

        assertEquals(callsBefore + 1, servers.tokens.tokenCalls());
        String renewed = currentToken("alice");
        assertNotEquals(revoked, renewed);
        // the only refusals were of the revoked token, and each was followed by a sign-in with the new one
        assertTrue(servers.refused().stream().allMatch(s -> s.accessToken().equals(revoked)), "refused another token");
        assertTrue(!servers.refused().isEmpty(), "the server never refused the revoked token");
        assertTrue(servers.signInsOf(ALICE).stream().anyMatch(s -> s.accepted() && s.accessToken().equals(renewed)));
        // bob's account was not touched
        assertEquals(List.of(), servers.refused().stream().filter(s -> s.mailbox().equals(BOB)).toList());
    }
}
