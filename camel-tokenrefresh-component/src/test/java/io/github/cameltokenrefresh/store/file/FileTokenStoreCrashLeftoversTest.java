package io.github.cameltokenrefresh.store.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a process killed in the middle of a save leaves behind. {@code KillDuringRotationIT} kills for real and
 * counts the leftovers; here one is laid out by hand, exactly as a kill between creating the temporary file and
 * renaming it leaves it.
 */
class FileTokenStoreCrashLeftoversTest {

    @TempDir
    Path dir;

    private static Token token(String refresh) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return Token.builder().accessToken("at-" + refresh).refreshToken(refresh).issuedAt(now)
                .expiresAt(now.plusSeconds(3600)).build();
    }

    @Test
    void aTornTemporaryFileNeverBecomesTheRecord() throws Exception {
        FileTokenStore store = new FileTokenStore(dir);
        store.save("p", "default", token("rt-1"), 0);
        Path leftover = dir.resolve("p").resolve(".default.json.tmp-5eed");
        Files.writeString(leftover, "{\"format\":1,\"provider\":\"p\",\"acc", StandardCharsets.UTF_8);

        assertEquals("rt-1", store.load("p", "default").token().getRefreshToken());
        assertEquals(List.of("default"), store.accounts("p"), "a temporary file is not an account");
        assertEquals(2, store.save("p", "default", token("rt-2"), 1).version());
        assertEquals("rt-2", new FileTokenStore(dir).load("p", "default").token().getRefreshToken());
    }

    @Test
    void temporaryFilesLeftByAKilledSaveAreCleanedUp() throws Exception {
        FileTokenStore store = new FileTokenStore(dir);
        store.save("p", "default", token("rt-1"), 0);
        Path leftover = dir.resolve("p").resolve(".default.json.tmp-5eed");
        Files.writeString(leftover, "{\"format\":1,\"refresh_token\":\"rt-0\"}", StandardCharsets.UTF_8);

        // the process that left it died; the next process sweeps the directory at its first save (not at every save,
        // which would make saving cost more as accounts grow)
        FileTokenStore restarted = new FileTokenStore(dir);
        restarted.save("p", "default", token("rt-2"), 1);
        try (Stream<Path> files = Files.list(dir.resolve("p"))) {
            assertEquals(List.of("default.json"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                         "no refresh token lingers in a leftover temporary file");
        }
    }

    @Test
    void manyAccountsSavedConcurrentlyIntoAFreshDirectoryAllSucceed() throws Exception {
        // the first save sweeps the directory for leftovers: it must not take other threads' files being written
        FileTokenStore store = new FileTokenStore(dir);
        ExecutorService threads = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<StoredToken>> saves = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String account = "acct-" + i;
            saves.add(threads.submit(() -> {
                start.await();
                return store.save("p", account, token("rt-" + account), 0);
            }));
        }
        start.countDown();
        for (Future<StoredToken> save : saves) {
            assertEquals(1, save.get(30, TimeUnit.SECONDS).version(), "every first save succeeds");
        }
        threads.shutdown();
        assertEquals(200, new FileTokenStore(dir).accounts("p").size());
        for (int i = 0; i < 200; i++) {
            assertEquals("rt-acct-" + i, new FileTokenStore(dir).load("p", "acct-" + i).token().getRefreshToken());
        }
    }

    @Test
    void theSweepKeepsWhatLiveProcessesWriteAndRemovesWhatDeadOnesLeft() throws Exception {
        FileTokenStore store = new FileTokenStore(dir);
        store.save("p", "seed", token("rt-seed"), 0);
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        long dead = finished.pid();
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        Path p = dir.resolve("p");
        Files.writeString(p.resolve(".a.json.tmp-" + dead + "-1f"), "{}", StandardCharsets.UTF_8);
        Files.writeString(p.resolve(".b.json.tmp-" + alive + "-2f"), "{}", StandardCharsets.UTF_8);

        new FileTokenStore(dir).save("p", "other", token("rt-other"), 0);

        assertFalse(Files.exists(p.resolve(".a.json.tmp-" + dead + "-1f")), "left by a process that is gone");
        assertTrue(Files.exists(p.resolve(".b.json.tmp-" + alive + "-2f")), "a live process may still be writing it");
    }
}
