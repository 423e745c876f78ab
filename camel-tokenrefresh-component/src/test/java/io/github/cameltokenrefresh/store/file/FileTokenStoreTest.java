package io.github.cameltokenrefresh.store.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.store.StaleTokenVersionException;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileTokenStoreTest {

    @TempDir
    Path dir;

    private static Token token(String access, String refresh) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return Token.builder().accessToken(access).refreshToken(refresh).tokenType("bearer").issuedAt(now)
                .expiresAt(now.plusSeconds(7200)).additionalField("account_id", "awtfn5jn").build();
    }

    @Test
    void savesAndLoadsEveryField() {
        FileTokenStore store = new FileTokenStore(dir);
        StoredToken saved = store.save("n2g", "default", token("at-1", "rt-1"), 0);
        assertEquals(1, saved.version());

        StoredToken loaded = new FileTokenStore(dir).load("n2g", "default");
        assertEquals(1, loaded.version());
        assertEquals("at-1", loaded.token().getAccessToken());
        assertEquals("rt-1", loaded.token().getRefreshToken());
        assertEquals("bearer", loaded.token().getTokenType());
        assertEquals(Instant.parse("2026-01-01T02:00:00Z"), loaded.token().getExpiresAt());
        assertEquals("awtfn5jn", loaded.token().getAdditionalFields().get("account_id"));
    }

    @Test
    void compareAndSetRefusesAStaleVersion() {
        FileTokenStore store = new FileTokenStore(dir);
        store.save("p", "a", token("at-1", "rt-1"), 0);
        store.save("p", "a", token("at-2", "rt-2"), 1);

        StaleTokenVersionException e = assertThrows(StaleTokenVersionException.class,
                () -> store.save("p", "a", token("at-3", "rt-3"), 1));
        assertEquals(2, e.getActualVersion());
        assertEquals("rt-2", store.load("p", "a").token().getRefreshToken());
        assertTrue(!e.getMessage().contains("rt-"), e.getMessage());
    }

    @Test
    void filesAreOwnerOnlyAndNoTemporaryFileRemains() throws Exception {
        FileTokenStore store = new FileTokenStore(dir.resolve("store"));
        for (int i = 0; i < 20; i++) {
            store.save("p", "a", token("at-" + i, "rt-" + i), i);
        }
        Path file = store.file("p", "a");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store"))));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
        assertTrue(store.findExposedFiles().isEmpty());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of(file), store.findExposedFiles());
    }

    @Test
    void aProvidersRecordsAreLookedAtOnlyWhereTheDirectoriesLetOthersPass() throws Exception {
        Path root = dir.resolve("store");
        FileTokenStore store = new FileTokenStore(root);
        store.save("p", "a", token("at", "rt"), 0);
        Path file = store.file("p", "a");
        Path providerDir = file.getParent();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals(List.of(), store.findExposedFiles("p"), "rwx------ directories hide the file from everyone else");
        assertEquals(file, store.findExposedRecord("p", "a"), "the record itself is still not owner-only");
        assertNull(store.findExposedRecord("p", "nobody"));

        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        assertEquals(List.of(), store.findExposedFiles("p"), "one closed directory on the way is enough");
        Files.setPosixFilePermissions(providerDir, PosixFilePermissions.fromString("rwx--x--x"));
        assertEquals(List.of(file), store.findExposedFiles("p"), "others may open the file by its name");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(providerDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(List.of(providerDir), store.findExposedFiles("p"), "a directory others could list is refused"
                                                                        + " even below a closed one");
        assertEquals(List.of(), store.findExposedFiles("other"), "another provider's directory does not exist");
    }

    @Test
    void accountNamesOfAnyShapeStayInsideTheStoreAndListBack() {
        FileTokenStore store = new FileTokenStore(dir);
        List<String> names = List.of("../escape", "a b", "kunde-ü", "x/y", ".", "..", "");
        for (String name : names) {
            store.save("aweber", name, token("at", "rt-" + name), 0);
        }
        assertEquals(names.stream().sorted().toList(), store.accounts("aweber").stream().sorted().toList());
        for (String name : names) {
            assertEquals("rt-" + name, store.load("aweber", name).token().getRefreshToken());
            assertTrue(store.file("aweber", name).startsWith(dir.resolve("aweber")));
        }
        assertTrue(Files.notExists(dir.resolve("escape.json")));
    }

    @Test
    void missingAndDeletedRecordsLoadAsNull() {
        FileTokenStore store = new FileTokenStore(dir);
        assertNull(store.load("p", "nobody"));
        assertTrue(store.accounts("p").isEmpty());
        store.save("p", "a", token("at", "rt"), 0);
        store.delete("p", "a");
        assertNull(store.load("p", "a"));
        store.save("p", "a", token("at", "rt"), 0);
    }

    /** Hand-edited or damaged records: the error names the file, never the text around the damage (a token). */
    @Test
    void aDamagedRecordFailsWithoutQuotingItsContent() throws Exception {
        FileTokenStore store = new FileTokenStore(dir);
        store.save("p", "a", token("AT-SECRET-d4m4g3", "RT-SECRET-d4m4g3"), 0);
        Path file = store.file("p", "a");
        String record = Files.readString(file);
        List<String> damaged = List.of(
                record.replace("\"RT-SECRET-d4m4g3\"", "RT-SECRET-d4m4g3"),                // a quote lost: not JSON
                record.replace("\"RT-SECRET-d4m4g3\"", "[\"RT-SECRET-d4m4g3\"]"),        // wrong type
                record.replaceFirst("\"issued_at\" : \"[^\"]+\"", "\"issued_at\" : \"RT-SECRET-d4m4g3\""), // bad instant
                record.replace("\"version\" : 1", "\"version\" : \"RT-SECRET-d4m4g3\""));  // bad version
        for (String text : damaged) {
            assertTrue(!text.equals(record), "the damage applies");
            Files.writeString(file, text);
            RuntimeException e = assertThrows(RuntimeException.class, () -> store.load("p", "a"));
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t).append('\n');
            }
            assertTrue(chain.toString().contains(file.toString()), chain::toString);
            assertTrue(!chain.toString().contains("SECRET"), () -> "a token in the error: " + chain);
        }
    }
}
