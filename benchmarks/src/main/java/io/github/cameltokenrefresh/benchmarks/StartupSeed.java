package io.github.cameltokenrefresh.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.Token;

/**
 * The stores of {@link StartupAtScale}, seeded fast and outside the measured time: file records written in the
 * documented format (docs/stores.md) from all cores without fsync, database rows by batched inserts of the same
 * record in one transaction. Accounts {@code 0 .. DUE-1} expire in 2 minutes (inside the default refreshWindow), the
 * others in an hour; the token server accepts the due accounts' refresh tokens.
 */
final class StartupSeed {

    static final int DUE = 100;

    private StartupSeed() {
    }

    static String account(int i) {
        return ManyAccounts.account(i);
    }

    /** The record as the stores write it; {@code generation} makes the due accounts' refresh tokens new each time. */
    static String record(String provider, String account, boolean due, Instant now, String generation) {
        Instant issued = due ? now.minusSeconds(58 * 60) : now;
        Instant expires = due ? now.plusSeconds(120) : now.plusSeconds(3600);
        return "{\n  \"format\" : 1,\n  \"provider\" : \"" + provider + "\",\n  \"account\" : \"" + account
               + "\",\n  \"version\" : 1,\n  \"access_token\" : \"" + ManyAccounts.accessToken(account)
               + "\",\n  \"refresh_token\" : \"" + refreshToken(account, generation)
               + "\",\n  \"token_type\" : \"Bearer\",\n  \"scope\" : null,\n  \"issued_at\" : \"" + issued
               + "\",\n  \"expires_at\" : \"" + expires + "\",\n  \"additional\" : { }\n}";
    }

    static String refreshToken(String account, String generation) {
        return generation + "-" + ManyAccounts.refreshToken(account);
    }

    static void files(Path storeDir, String provider, int held, StrictTokenServer tokens, String generation)
            throws IOException {
        Path dir = storeDir.resolve(provider);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Instant now = Instant.now();
        IntStream.range(0, held).parallel().forEach(i -> writeFile(dir, provider, i, now, generation));
        addDueRefreshTokens(tokens, generation);
    }

    /** The due accounts again, with new refresh tokens, after a start-up pass refreshed them. */
    static void dueFiles(Path storeDir, String provider, StrictTokenServer tokens, String generation) {
        Path dir = storeDir.resolve(provider);
        Instant now = Instant.now();
        IntStream.range(0, DUE).forEach(i -> writeFile(dir, provider, i, now, generation));
        addDueRefreshTokens(tokens, generation);
    }

    private static void writeFile(Path dir, String provider, int i, Instant now, String generation) {
        String account = account(i);
        byte[] json = record(provider, account, i < DUE, now, generation).getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve(account + ".json");
        try {
            if (Files.exists(file)) {
                Files.write(file, json, StandardOpenOption.TRUNCATE_EXISTING);
            } else {
                // owner-only, as the store writes them: the provider refuses a store others can read
                Files.write(Files.createFile(file, ManyAccounts.OWNER_FILE), json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the table through the store (its own DDL), then inserts the rows in batches, one transaction. */
    static void rows(DataSource ds, String table, String provider, int held, StrictTokenServer tokens,
                     String generation) throws SQLException {
        JdbcTokenStore store = StartupAtScale.jdbcStore(ds, table);
        Instant now = Instant.now();
        String first = account(held - 1);
        store.save(provider, first, Token.builder().accessToken(ManyAccounts.accessToken(first))
                .refreshToken(refreshToken(first, generation)).tokenType("Bearer").issuedAt(now)
                .expiresAt(now.plusSeconds(3600)).build(), 0);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (provider, account, version,"
                                                           + " record, expires_at, updated_at, updated_by,"
                                                           + " lease_fence, lease_interrupted)"
                                                           + " VALUES (?, ?, 1, ?, ?, ?, 'seed', 0, 0)")) {
                for (int i = 0; i < held - 1; i++) {
                    bindRow(ps, provider, i, now, generation);
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        addDueRefreshTokens(tokens, generation);
    }

    static void dueRows(DataSource ds, String table, String provider, StrictTokenServer tokens, String generation)
            throws SQLException {
        Instant now = Instant.now();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET record = ?, expires_at = ?,"
                                                       + " version = version + 1 WHERE provider = ? AND account = ?")) {
            for (int i = 0; i < DUE; i++) {
                String account = account(i);
                boolean due = true;
                ps.setBytes(1, record(provider, account, due, now, generation).getBytes(StandardCharsets.UTF_8));
                ps.setLong(2, now.plusSeconds(120).toEpochMilli());
                ps.setString(3, provider);
                ps.setString(4, account);
                ps.executeUpdate();
            }
        }
        addDueRefreshTokens(tokens, generation);
    }

    private static void bindRow(PreparedStatement ps, String provider, int i, Instant now, String generation)
            throws SQLException {
        String account = account(i);
        boolean due = i < DUE;
        ps.setString(1, provider);
        ps.setString(2, account);
        ps.setBytes(3, record(provider, account, due, now, generation).getBytes(StandardCharsets.UTF_8));
        ps.setLong(4, (due ? now.plusSeconds(120) : now.plusSeconds(3600)).toEpochMilli());
        ps.setLong(5, now.toEpochMilli());
    }

    private static void addDueRefreshTokens(StrictTokenServer tokens, String generation) {
        for (int i = 0; i < DUE; i++) {
            tokens.addRefreshToken(refreshToken(account(i), generation));
        }
    }
}
