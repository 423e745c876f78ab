package io.github.cameltokenrefresh.internal.jose;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Reads a private key and its certificate from a Java KeyStore / PKCS#12 file or from PEM files (an unencrypted
 * PKCS#8 private key, an X.509 certificate). Failures are {@link KeyFileException}s whose message says what is wrong
 * without any key material or password, so the caller can name the option.
 */
public final class KeyFiles {

    /** A private key and its certificate (null when none was given). */
    public record PrivateKeyEntry(PrivateKey key, X509Certificate certificate) {
        @Override
        public String toString() {
            return "PrivateKeyEntry[" + key.getAlgorithm() + "]";
        }
    }

    /** What is wrong with a key file, in words that name no secret. */
    public static final class KeyFileException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyFileException(String message) {
            super(message);
        }
    }

    private KeyFiles() {
    }

    /**
     * @param alias       the key entry, or null when the keystore holds exactly one
     * @param keyPassword the entry's password, or null for the keystore's
     */
    public static PrivateKeyEntry fromKeyStore(Path path, char[] storePassword, String alias, char[] keyPassword)
            throws KeyFileException {
        if (!Files.isReadable(path)) {
            throw new KeyFileException("is not a readable file: " + path);
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(path.toFile(), storePassword); // JKS or PKCS#12, told from the file
        } catch (IOException e) {
            throw new KeyFileException("cannot be read as a keystore with this password (" + e.getClass().getSimpleName()
                                       + ")");
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("cannot be read as a keystore (" + e.getClass().getSimpleName() + ")");
        }
        try {
            String entry = alias != null ? alias : onlyKeyAlias(store);
            if (!store.isKeyEntry(entry)) {
                throw new KeyFileException("has no private key entry named '" + entry + "'");
            }
            Key key = store.getKey(entry, keyPassword != null ? keyPassword : storePassword);
            if (!(key instanceof PrivateKey)) {
                throw new KeyFileException("entry '" + entry + "' is not a private key");
            }
            Certificate certificate = store.getCertificate(entry);
            return new PrivateKeyEntry((PrivateKey) key,
                                       certificate instanceof X509Certificate x509 ? x509 : null);
        } catch (UnrecoverableKeyException e) {
            throw new KeyFileException("has a key entry that this password does not unlock");
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("cannot give its key (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String onlyKeyAlias(KeyStore store) throws GeneralSecurityException, KeyFileException {
        List<String> keys = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                keys.add(alias);
            }
        }
        if (keys.size() != 1) {
            throw new KeyFileException("holds " + keys.size() + " private keys; name one with its alias option");
        }
        return keys.get(0);
    }

    /** An unencrypted PKCS#8 PEM private key, RSA or EC. */
    public static PrivateKey pemPrivateKey(Path path) throws KeyFileException {
        String pem = read(path);
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw new KeyFileException("is a PKCS#1/SEC1 key; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt");
        }
        if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new KeyFileException("is encrypted; use a keystore with a password, or an unencrypted PKCS#8 file"
                                       + " only its owner can read");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY"));
        for (String algorithm : new String[] { "RSA", "EC" }) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new KeyFileException("holds no RSA or EC PKCS#8 private key");
    }

    /** A PEM X.509 certificate. */
    public static X509Certificate pemCertificate(Path path) throws KeyFileException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(read(path).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("holds no X.509 certificate");
        }
    }

    private static byte[] der(String pem, String label) throws KeyFileException {
        String begin = "-----BEGIN " + label + "-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END " + label + "-----");
        if (start < 0 || end < start) {
            throw new KeyFileException("has no '" + begin + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("has a PEM block that is not Base64");
        }
    }

    private static String read(Path path) throws KeyFileException {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new KeyFileException("is not a readable file: " + path);
        }
    }
}
