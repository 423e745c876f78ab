package io.github.cameltokenrefresh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a real process ({@link SigtermRefreshMain}, Camel Main) while its token call is on the wire: the token
 * server holds the call until Camel Main has begun to stop the context, then answers with a rotated refresh token.
 * The graceful stop lets the refresh save it before the process exits; the next start refreshes with that rotated
 * token, so the server, which revokes the family on reuse, sees no reuse. ShutdownDuringRefreshIT shows the same
 * inside one JVM, with the refusal of new calls.
 */
class SigtermDuringTokenCallIT {

    private static final String CLIENT_SECRET = "sigterm-secret-1";

    @TempDir
    Path dir;

    private StrictTokenServer server;
    private Process process;

    @AfterEach
    void tearDown() {
        if (process != null) {
            process.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theAnswerToATokenCallInFlightAtSigtermIsSavedAndTheNextStartUsesIt() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("sigterm-client", CLIENT_SECRET)
                .addRefreshToken("rt-0").rotateRefreshTokens(true).revokeFamilyOnReuse(true).expiresIn(3600L)
                .beforeEachTokenCall(request -> {
                    if (arrived.getCount() == 1) {
                        arrived.countDown(); // the first process's call: answered once its stop has begun
                        try {
                            answer.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        Path store = dir.resolve("store");
        Path output = dir.resolve("first.log");
        process = start(store, output);
        assertTrue(arrived.await(120, TimeUnit.SECONDS), "the token call reached the server: " + read(output));
        await().atMost(Duration.ofSeconds(30)).until(() -> read(output).contains("STARTED"));

        process.destroy(); // SIGTERM
        await().atMost(Duration.ofSeconds(30)).until(() -> read(output).contains("STOPPING"));
        answer.countDown(); // the provider answers while the context stops
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ended: " + read(output));
        String log = read(output);
        assertTrue(log.contains("REFRESHED") && log.contains("STOPPED"), log);
        assertTrue(log.indexOf("STOPPING") < log.indexOf("REFRESHED"), "refreshed during the stop: " + log);
        assertTrue(!log.contains("NullPointerException") && !log.contains("unreachable"), log);
        String rotated = server.currentRefreshToken();
        assertTrue(!rotated.equals("rt-0"));
        assertEquals(rotated, new FileTokenStore(store).load("p", "default").token().getRefreshToken(),
                     "the rotated refresh token was saved before the process exited");

        // the next start refreshes with the saved refresh token, not the spent bootstrap one
        Path next = dir.resolve("next.log");
        process = start(store, next);
        await().atMost(Duration.ofSeconds(120)).until(() -> read(next).contains("REFRESHED"));
        List<StrictTokenServer.RecordedRequest> calls = server.tokenRequests();
        assertEquals(2, calls.size(), read(next));
        assertTrue(calls.get(1).body().contains("refresh_token=" + rotated), "the next start sent the rotated token");
        assertEquals(List.of(), server.rejections(), "no reuse");
        assertEquals(0, server.familyRevocations());
        assertEquals(2, server.successfulRefreshes());
    }

    private Process start(Path store, Path output) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                  "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx160m",
                                  "-cp", System.getProperty("java.class.path"), SigtermRefreshMain.class.getName(),
                                  server.tokenUrl(), CLIENT_SECRET, store.toString(), "rt-0")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
