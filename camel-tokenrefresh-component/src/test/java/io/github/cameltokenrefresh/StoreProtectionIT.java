package io.github.cameltokenrefresh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encryption at rest and the owner-only check of the file store. */
class StoreProtectionIT {

    @TempDir
    Path storeDir;

    private StrictTokenServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private DefaultCamelContext start(String key, String extra) throws Exception {
        DefaultCamelContext context = TestContexts.context(storeDir);
        if (key != null) {
            TestContexts.component(context).getConfiguration().setStoreEncryptionKey(key);
        }
        String uri = "tokenrefresh:aweber?preset=aweber&tokenUrl=" + server.tokenUrl()
                     + "&clientId=c&clientSecret=s&refreshToken=rt-0" + extra;
        TestContexts.addRoute(context, "direct:call", uri);
        TestContexts.addRoute(context, "direct:refresh", uri + "&operation=refresh");
        context.start();
        return context;
    }

    @Test
    void encryptedRecordsHoldNoReadableTokenAndSurviveARestartWithTheSameKey() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        String key = newKey();
        DefaultCamelContext first = start(key, "");
        first.createProducerTemplate().requestBody("direct:refresh", "");
        first.stop();

        Path file = storeDir.resolve("aweber").resolve("default.json");
        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(raw.startsWith("TRE1"), "an encrypted record");
        assertFalse(raw.contains(server.currentRefreshToken()) || raw.contains(server.issuedAccessTokens().get(0))
                    || raw.contains("refresh_token"), "nothing readable in the file");

        DefaultCamelContext second = start(key, "");
        try {
            String header = second.createProducerTemplate().request("direct:call", e -> {
            }).getMessage().getHeader("Authorization", String.class);
            assertEquals("Bearer " + server.issuedAccessTokens().get(0), header);
            assertEquals(1, server.tokenCalls(), "the stored token was decrypted and reused");
        } finally {
            second.stop();
        }
    }

    @Test
    void aWrongOrMissingKeyIsAnExplainedStoreErrorAndMakesNoTokenCall() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        DefaultCamelContext first = start(newKey(), "");
        first.createProducerTemplate().requestBody("direct:refresh", "");
        first.stop();

        for (String key : new String[] { newKey(), null }) {
            DefaultCamelContext other = start(key, "");
            try {
                ProducerTemplate template = other.createProducerTemplate();
                CamelExecutionException e = assertThrows(CamelExecutionException.class,
                        () -> template.requestBody("direct:call", ""));
                TokenStoreException store = assertInstanceOf(TokenStoreException.class, e.getCause());
                String messages = store.getMessage() + " " + store.getCause().getMessage();
                assertTrue(messages.contains("storeEncryptionKey"), messages);
                assertEquals(1, server.tokenCalls());
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void aPlainRecordIsReadAndEncryptedAtItsNextSave() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        DefaultCamelContext plain = start(null, "");
        plain.createProducerTemplate().requestBody("direct:refresh", "");
        plain.stop();
        Path file = storeDir.resolve("aweber").resolve("default.json");
        assertTrue(Files.readString(file).contains("refresh_token"));

        String key = newKey();
        DefaultCamelContext encrypted = start(key, "");
        try {
            encrypted.createProducerTemplate().requestBody("direct:refresh", "");
            assertEquals(2, server.successfulRefreshes(), "the plain record's refresh token was used");
            assertTrue(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).startsWith("TRE1"));
        } finally {
            encrypted.stop();
        }
    }

    @Test
    void aRecordCopiedOverAnotherAccountDoesNotDecrypt() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        String key = newKey();
        FileTokenStore store = new FileTokenStore(storeDir,
                new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(key), "AES"));
        store.save("aweber", "alice", io.github.cameltokenrefresh.token.Token.ofRefreshToken("rt-alice",
                java.time.Instant.now()), 0);
        Files.copy(storeDir.resolve("aweber").resolve("alice.json"), storeDir.resolve("aweber").resolve("mallory.json"));
        Exception e = assertThrows(RuntimeException.class, () -> store.load("aweber", "mallory"));
        assertTrue(e.getCause().getMessage().contains("copied from another account"), e.getCause().getMessage());
    }

    @Test
    void aStoreOthersCanReadIsRefusedAtRouteStartUnlessAllowed() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        DefaultCamelContext first = start(null, "");
        first.createProducerTemplate().requestBody("direct:refresh", "");
        first.stop();
        Path file = storeDir.resolve("aweber").resolve("default.json");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Exception e = assertThrows(Exception.class, () -> start(null, ""));
        String messages = TestContexts.messages(e);
        assertTrue(messages.contains("option storeDirectory") && messages.contains("allowExposedStore"),
                   messages);

        DefaultCamelContext allowed = start(null, "&allowExposedStore=true");
        allowed.stop();
    }

    /** The first start writes aweber/default.json; the store directory is made owner-only as the store makes its own. */
    private Path storeWithOneRecord() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        Files.setPosixFilePermissions(storeDir, PosixFilePermissions.fromString("rwx------"));
        DefaultCamelContext first = start(null, "");
        first.createProducerTemplate().requestBody("direct:refresh", "");
        first.stop();
        return storeDir.resolve("aweber");
    }

    @Test
    void anExposedRecordUnderOwnerOnlyDirectoriesStartsAndIsMadeOwnerOnlyByItsNextSave() throws Exception {
        Path providerDir = storeWithOneRecord();
        new FileTokenStore(storeDir).save("aweber", "other", io.github.cameltokenrefresh.token.Token.ofRefreshToken(
                "rt-other", java.time.Instant.now()), 0);
        server.addRefreshToken("rt-other");
        Path other = providerDir.resolve("other.json");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-r--r--"));

        // no endpoint names the account, and nobody else can reach the file through rwx------ directories
        DefaultCamelContext context = start(null, "");
        try {
            context.createProducerTemplate().requestBodyAndHeader("direct:refresh", "", TokenRefreshConstants.ACCOUNT,
                                                                  "other");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(other)),
                         "the save wrote an owner-only record");
        } finally {
            context.stop();
        }
    }

    @Test
    void anExposedDirectoryIsRefusedAtRouteStartUnlessAllowed() throws Exception {
        Path providerDir = storeWithOneRecord();
        Files.setPosixFilePermissions(providerDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        Exception e = assertThrows(Exception.class, () -> start(null, ""));
        String messages = TestContexts.messages(e);
        assertTrue(messages.contains("option storeDirectory") && messages.contains(providerDir.toString())
                   && messages.contains("allowExposedStore"), messages);

        start(null, "&allowExposedStore=true").stop();
    }

    @Test
    void directoriesOthersMayPassThroughHaveEveryRecordChecked() throws Exception {
        Path providerDir = storeWithOneRecord();
        new FileTokenStore(storeDir).save("aweber", "other", io.github.cameltokenrefresh.token.Token.ofRefreshToken(
                "rt-other", java.time.Instant.now()), 0);
        Path other = providerDir.resolve("other.json");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(storeDir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(providerDir, PosixFilePermissions.fromString("rwx--x--x"));

        Exception e = assertThrows(Exception.class, () -> start(null, ""));
        String messages = TestContexts.messages(e);
        assertTrue(messages.contains("option storeDirectory") && messages.contains(other.toString()), messages);
    }

    @Test
    void aMalformedKeyFailsAtRouteStartNamingTheOption() {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0");
        Exception e = assertThrows(Exception.class, () -> start(Base64.getEncoder().encodeToString(new byte[7]), ""));
        String messages = TestContexts.messages(e);
        assertTrue(messages.contains("option storeEncryptionKey must be an AES key of 16, 24 or 32 bytes"),
                   messages);
    }
}
