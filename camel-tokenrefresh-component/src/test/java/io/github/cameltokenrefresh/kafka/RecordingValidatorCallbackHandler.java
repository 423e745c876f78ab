package io.github.cameltokenrefresh.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;

import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler;

/**
 * The broker's own JWT validation (Kafka's {@link OAuthBearerValidatorCallbackHandler}: signature against the JWKS,
 * exp, iat, audience, issuer), which also writes one line per authentication and re-authentication it accepted to the
 * file named by the system property {@value #FILE_PROPERTY}: a digest of the token (never the token) and its expiry.
 * Runs in the broker's JVM.
 */
public class RecordingValidatorCallbackHandler extends OAuthBearerValidatorCallbackHandler {

    static final String FILE_PROPERTY = "tokenrefresh.it.validatedTokens";

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        super.handle(callbacks);
        for (Callback callback : callbacks) {
            if (callback instanceof OAuthBearerValidatorCallback validated && validated.token() != null) {
                record(digest(validated.token().value()) + " " + validated.token().lifetimeMs() + "\n");
            }
        }
    }

    static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void record(String line) throws IOException {
        Files.writeString(Path.of(System.getProperty(FILE_PROPERTY)), line, StandardCharsets.US_ASCII,
                          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
