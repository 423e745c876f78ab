package io.github.cameltokenrefresh.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a process killed in the middle of a save leaves behind. {@code KillDuringRotationTest} kills for real and
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
}
