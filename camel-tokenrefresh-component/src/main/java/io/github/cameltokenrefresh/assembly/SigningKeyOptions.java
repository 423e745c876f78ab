package io.github.cameltokenrefresh.assembly;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.crypto.spec.SecretKeySpec;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.dpop.DpopKey;
import io.github.cameltokenrefresh.internal.jose.JwsAlgorithm;
import io.github.cameltokenrefresh.internal.jose.KeyFiles;
import io.github.cameltokenrefresh.internal.jose.KeyFiles.KeyFileException;
import io.github.cameltokenrefresh.internal.jose.KeyFiles.PrivateKeyEntry;
import io.github.cameltokenrefresh.internal.jose.SigningKey;

/**
 * Reads the keys the client signs with: the signing key (signingKeystore or signingKeyFile and their options) and the
 * DPoP key (dpopKeystore). Every failure names the option and says what is wrong, never a password or key.
 */
final class SigningKeyOptions {

    private SigningKeyOptions() {
    }

    /** Whether any option of the signing key is set. */
    static boolean configured(TokenRefreshConfiguration config) {
        return config.getSigningKeystore() != null || config.getSigningKeyFile() != null
               || config.getSigningCertificateFile() != null || config.getSigningKeyAlias() != null
               || config.getSigningKeystorePassword() != null || config.getSigningKeyPassword() != null
               || config.getSigningAlgorithm() != null || config.getSigningKeyId() != null;
    }

    /** The signing key, required by {@code neededBy} (named in the error when none is configured). */
    static SigningKey read(String name, TokenRefreshConfiguration config, String neededBy) {
        boolean keystore = notBlank(config.getSigningKeystore());
        boolean pem = notBlank(config.getSigningKeyFile());
        if (keystore && pem) {
            throw InvalidOption.of(name, "signingKeyFile", "and signingKeystore are both set; choose one");
        }
        if (!keystore && !pem) {
            throw InvalidOption.of(name, "signingKeystore", "(or signingKeyFile) is required by " + neededBy);
        }
        PrivateKeyEntry entry = keystore ? keystoreEntry(name, config) : pemEntry(name, config);
        JwsAlgorithm algorithm = algorithm(name, config.getSigningAlgorithm(), entry.key());
        return new SigningKey(entry.key(), algorithm, blankToNull(config.getSigningKeyId()), entry.certificate());
    }

    /** The HS256 key of client_secret_jwt: the client secret's UTF-8 bytes (RFC 7518 §3.2 wants 32 or more). */
    static SigningKey clientSecretKey(String name, String clientSecret) {
        byte[] bytes = clientSecret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw InvalidOption.of(name, "clientSecret", "is too short for client_secret_jwt: HS256 needs a secret of at"
                                                         + " least 32 bytes (RFC 7518 section 3.2), was " + bytes.length);
        }
        return new SigningKey(new SecretKeySpec(bytes, "HmacSHA256"), JwsAlgorithm.HS256, null, null);
    }

    /** The DPoP key from dpopKeystore, or null when none is configured. */
    static DpopKey dpopKey(String name, TokenRefreshConfiguration config) {
        if (!notBlank(config.getDpopKeystore())) {
            if (config.getDpopKeyAlias() != null || config.getDpopKeystorePassword() != null) {
                throw InvalidOption.of(name, config.getDpopKeyAlias() != null ? "dpopKeyAlias" : "dpopKeystorePassword",
                                       "applies only with dpopKeystore");
            }
            return null;
        }
        PrivateKeyEntry entry;
        try {
            entry = KeyFiles.fromKeyStore(Path.of(config.getDpopKeystore()), chars(config.getDpopKeystorePassword()),
                                          blankToNull(config.getDpopKeyAlias()), null);
        } catch (KeyFileException e) {
            throw InvalidOption.of(name, "dpopKeystore", e.getMessage());
        }
        if (entry.certificate() == null) {
            throw InvalidOption.of(name, "dpopKeystore", "has no certificate with its key: the public key is needed");
        }
        JwsAlgorithm algorithm = JwsAlgorithm.defaultFor(entry.key());
        String misfit = algorithm.misfit(entry.key());
        if (misfit != null) {
            throw InvalidOption.of(name, "dpopKeystore", "holds a key DPoP cannot use: " + misfit);
        }
        return new DpopKey(entry.key(), entry.certificate().getPublicKey(), algorithm, true);
    }

    private static PrivateKeyEntry keystoreEntry(String name, TokenRefreshConfiguration config) {
        if (config.getSigningCertificateFile() != null) {
            throw InvalidOption.of(name, "signingCertificateFile", "applies only with signingKeyFile; signingKeystore"
                                                                   + " holds the certificate with its key");
        }
        try {
            return KeyFiles.fromKeyStore(Path.of(config.getSigningKeystore()), chars(config.getSigningKeystorePassword()),
                                         blankToNull(config.getSigningKeyAlias()), chars(config.getSigningKeyPassword()));
        } catch (KeyFileException e) {
            throw InvalidOption.of(name, "signingKeystore", e.getMessage());
        }
    }

    private static PrivateKeyEntry pemEntry(String name, TokenRefreshConfiguration config) {
        for (String option : new String[] { "signingKeyAlias", "signingKeystorePassword", "signingKeyPassword" }) {
            String value = "signingKeyAlias".equals(option) ? config.getSigningKeyAlias()
                    : "signingKeystorePassword".equals(option) ? config.getSigningKeystorePassword()
                    : config.getSigningKeyPassword();
            if (value != null) {
                throw InvalidOption.of(name, option, "applies only with signingKeystore");
            }
        }
        PrivateKey key;
        try {
            key = KeyFiles.pemPrivateKey(Path.of(config.getSigningKeyFile()));
        } catch (KeyFileException e) {
            throw InvalidOption.of(name, "signingKeyFile", e.getMessage());
        }
        X509Certificate certificate = null;
        if (notBlank(config.getSigningCertificateFile())) {
            try {
                certificate = KeyFiles.pemCertificate(Path.of(config.getSigningCertificateFile()));
            } catch (KeyFileException e) {
                throw InvalidOption.of(name, "signingCertificateFile", e.getMessage());
            }
        }
        return new PrivateKeyEntry(key, certificate);
    }

    private static JwsAlgorithm algorithm(String name, String configured, PrivateKey key) {
        JwsAlgorithm algorithm;
        if (configured == null) {
            algorithm = JwsAlgorithm.defaultFor(key);
        } else {
            try {
                algorithm = JwsAlgorithm.valueOf(configured.trim());
            } catch (IllegalArgumentException e) {
                algorithm = null;
            }
            if (algorithm == null || algorithm == JwsAlgorithm.HS256) {
                throw InvalidOption.of(name, "signingAlgorithm", "must be RS256, PS256 or ES256, was '" + configured + "'");
            }
        }
        String misfit = algorithm.misfit(key);
        if (misfit != null) {
            throw InvalidOption.of(name, configured == null ? "signingKeystore" : "signingAlgorithm",
                                   "does not fit the signing key: " + misfit);
        }
        return algorithm;
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    private static String blankToNull(String value) {
        return notBlank(value) ? value.trim() : null;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
