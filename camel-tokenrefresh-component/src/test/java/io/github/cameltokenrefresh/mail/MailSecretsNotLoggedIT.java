package io.github.cameltokenrefresh.mail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import io.github.cameltokenrefresh.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.cameltokenrefresh.mail.MailRoutes.ALICE;
import static io.github.cameltokenrefresh.mail.MailRoutes.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every logger at TRACE and JavaMail's protocol trace on ({@code debugMode=true}, printed to System.out): sending,
 * receiving, a refresh and a refused token leave no access token, refresh token or client secret in either, in clear
 * or inside a Base64 XOAUTH2 initial response. JavaMail keeps its trace of the authentication itself off by default
 * ({@code mail.debug.auth=false}); the trace still shows XOAUTH2 was the mechanism.
 */
class MailSecretsNotLoggedIT {

    @TempDir
    Path storeDir;

    @Test
    void noSecretInLogsNorInJavaMailDebugOutput() throws Exception {
        ByteArrayOutputStream debugOut = new ByteArrayOutputStream();
        PrintStream console = System.out;
        String logs;
        try (MailServers servers = new MailServers(ALICE, BOB); LogCapture capture = new LogCapture()) {
            System.setOut(new PrintStream(debugOut, true, StandardCharsets.UTF_8));
            try (MailRoutes routes = new MailRoutes(servers, storeDir, true)) {
                routes.send("first", ALICE, BOB);
                await().atMost(Duration.ofSeconds(20)).until(() -> routes.aliceInbox.contains("first")
                                                                   && routes.bobInbox.contains("first"));
                String current = routes.component().tokens("mailbox").account("alice").token().getAccessToken();
                servers.tokens.revokeAccessToken(current);
                routes.send("second", ALICE);
                await().atMost(Duration.ofSeconds(20)).until(() -> routes.aliceInbox.contains("second"));
                assertFalse(servers.refused().isEmpty(), "the revoked token was never refused: no refusal was traced");
            } finally {
                System.setOut(console);
            }
            // GreenMail, the test's mail server, logs the client's lines at DEBUG, XOAUTH2 responses included: that is
            // the server's log (Microsoft's or Google's in production), and it proves the check would see a leak
            logs = capture.text().lines().filter(l -> !l.contains(" com.icegreen.")).collect(Collectors.joining("\n"));
            assertTrue(capture.text().contains("com.icegreen.greenmail.util.LineLoggingBuffer - C: AUTH XOAUTH2 "),
                       "GreenMail no longer logs the client's lines: the filter above is stale");
            String trace = debugOut.toString(StandardCharsets.UTF_8);
            assertTrue(trace.contains("XOAUTH2"), "JavaMail's trace shows no XOAUTH2 sign-in:\n" + trace);
            assertTrue(logs.contains("refused the access token"), "the refusal was not logged");
            for (String secret : secrets(servers)) {
                assertFalse(logs.contains(secret), () -> "a secret reached the logs: " + linesWith(logs, secret));
                assertFalse(trace.contains(secret), () -> "a secret reached JavaMail's trace: " + linesWith(trace, secret));
            }
        }
    }

    /** The lines holding the secret, the secret masked: which code wrote it. */
    private static List<String> linesWith(String text, String secret) {
        return text.lines().filter(l -> l.contains(secret)).map(l -> l.replace(secret, "<secret>")).toList();
    }

    /** Every token either server saw or issued, their XOAUTH2 initial responses, and the client secret. */
    private static List<String> secrets(MailServers servers) {
        List<String> secrets = new ArrayList<>();
        secrets.add(MailServers.CLIENT_SECRET);
        secrets.addAll(servers.tokens.issuedRefreshTokens());
        for (String token : servers.tokens.issuedAccessTokens()) {
            secrets.add(token);
            for (String mailbox : List.of(ALICE, BOB)) {
                String xoauth2 = "user=" + mailbox + "\u0001auth=Bearer " + token + "\u0001\u0001";
                secrets.add(Base64.getEncoder().encodeToString(xoauth2.getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertTrue(secrets.size() > 4, "the test saw no tokens to look for");
        return secrets;
    }
}
