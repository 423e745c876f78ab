package io.github.cameltokenrefresh.store.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.record.RecordCipher;
import io.github.cameltokenrefresh.store.record.TokenRecordCodec;
import io.github.cameltokenrefresh.token.Token;

/** Turns tokens into {@link JdbcTokenStore} column values and rows back into records and leases. */
final class JdbcRows {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final RecordCipher cipher;

    JdbcRows(RecordCipher cipher) {
        this.cipher = cipher;
    }

    boolean encrypts() {
        return cipher != null;
    }

    /** The record column: the shared codec's bytes, encrypted when a key is set. */
    byte[] record(String provider, String account, Token token, long version) throws IOException {
        byte[] bytes = TokenRecordCodec.encode(provider, account, new StoredToken(token, version));
        return cipher == null ? bytes : cipher.encrypt(provider, account, bytes);
    }

    /** A record read back; the version column, not the one inside the record, is the version. */
    StoredToken stored(String provider, String account, long version, byte[] bytes) throws IOException {
        if (bytes == null) {
            return null;
        }
        if (RecordCipher.isEncrypted(bytes)) {
            if (cipher == null) {
                throw new IOException("the record of provider '" + provider + "' account '" + account
                                      + "' is encrypted; set encryptionKey");
            }
            try {
                bytes = cipher.decrypt(provider, account, bytes);
            } catch (IOException e) {
                throw new IOException("cannot decrypt the record of provider '" + provider + "' account '" + account
                                      + "': wrong encryptionKey, or the row was altered or copied from another account");
            }
        }
        return new StoredToken(TokenRecordCodec.decode(bytes).token(), version);
    }

    /** A row of {@link JdbcStatements#LEASE_COLUMNS}, read right after this owner acquired it. */
    RefreshLease lease(String provider, String account, String owner, ResultSet rs) throws SQLException, IOException {
        long version = rs.getLong(1);
        StoredToken current = stored(provider, account, version, rs.getBytes(2));
        return new RefreshLease(provider, account, owner, rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)),
                                Instant.ofEpochMilli(rs.getLong(5)), current, trimmed(rs.getString(6)),
                                rs.getInt(7) != 0, rs.getInt(7) >= 4);
    }

    /** A row of the holder query: who and until when, without the record. */
    static RefreshLease holder(String provider, String account, ResultSet rs) throws SQLException {
        return new RefreshLease(provider, account, rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                                Instant.ofEpochMilli(rs.getLong(4)), null, null, rs.getInt(5) != 0);
    }

    /** The expires_at column: null when there is no access token, so such accounts come first when due. */
    static Object expiresAt(Token token) {
        return token.hasAccessToken() && token.getExpiresAt() != null
                ? (Object) token.getExpiresAt().toEpochMilli() : JdbcDatabase.NULL_BIGINT;
    }

    /** The issued_at column: when the token was issued (its last refresh), else its refresh token; keep-alive. */
    static Object issuedAt(Token token) {
        Instant at = token.getIssuedAt() != null ? token.getIssuedAt() : token.getRefreshTokenIssuedAt();
        return at != null ? (Object) at.toEpochMilli() : JdbcDatabase.NULL_BIGINT;
    }

    /** SHA-256 of a refresh token as lowercase hex (the form RefreshLease and releaseDead use), null for null. */
    static String sha256(String refreshToken) {
        if (refreshToken == null) {
            return null;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(refreshToken.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A hash to record as dead, lowercased. Anything but 64 hex digits is refused without being quoted: a caller
     * passing the refresh token itself by mistake would otherwise store it in clear.
     */
    static String deadHash(String sha256) {
        String hash = sha256 == null ? "" : sha256.trim().toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException("releaseDead wants the SHA-256 of the refresh token as 64 hex digits"
                                               + " (the value given is not one and is not shown)");
        }
        return hash;
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }
}
