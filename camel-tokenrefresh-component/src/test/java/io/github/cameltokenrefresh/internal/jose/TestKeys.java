package io.github.cameltokenrefresh.internal.jose;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.internal.jose.KeyFiles.KeyFileException;
import io.github.cameltokenrefresh.internal.jose.KeyFiles.PrivateKeyEntry;

/**
 * The test keys in {@code src/test/resources/signing/} (made once with keytool and openssl, password changeit, valid
 * for a century; test material, not secrets): an RSA 2048 and an EC P-256 client key with certificates, the RSA key
 * also as PEM files, and an EC P-256 DPoP key.
 */
public final class TestKeys {

    public static final String PASSWORD = "changeit";

    private TestKeys() {
    }

    public static Path file(String name) {
        try {
            return Path.of(TestKeys.class.getResource("/signing/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PrivateKeyEntry rsa() {
        return load("client-rsa.p12");
    }

    public static PrivateKeyEntry ec() {
        return load("client-ec.p12");
    }

    public static PrivateKeyEntry dpopEc() {
        return load("dpop-ec.p12");
    }

    private static final Map<String, PrivateKeyEntry> LOADED = new ConcurrentHashMap<>();

    /** Each keystore read once: PKCS#12's key derivation is slow enough to count in the fast tier. */
    private static PrivateKeyEntry load(String name) {
        return LOADED.computeIfAbsent(name, TestKeys::read);
    }

    private static PrivateKeyEntry read(String name) {
        try {
            return KeyFiles.fromKeyStore(file(name), PASSWORD.toCharArray(), null, null);
        } catch (KeyFileException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }
}
