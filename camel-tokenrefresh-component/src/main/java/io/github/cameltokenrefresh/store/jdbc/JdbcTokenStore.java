package io.github.cameltokenrefresh.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.RefreshLeases;
import io.github.cameltokenrefresh.store.StaleTokenVersionException;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.jdbc.JdbcDatabase.Setup;
import io.github.cameltokenrefresh.store.record.RecordCipher;
import io.github.cameltokenrefresh.token.Token;

/**
 * A store in a relational database (PostgreSQL, MariaDB/MySQL, H2) that several processes can share: one row per
 * provider and account, a compare-and-set on its version, and the refresh lease ({@link RefreshLeases}) in the same
 * row. Each operation is one short autocommit statement (on MariaDB, which lacks UPDATE ... RETURNING, acquiring is an
 * UPDATE and a SELECT in one short transaction); no connection is kept between calls. Lease times come from the
 * database clock.
 * <p>
 * A bean: create it with a {@link DataSource} or set one ({@code dataSource}), optionally {@code tableName},
 * {@code createTable}, {@code dialect}, {@code encryptionKey} and {@code instanceId}, before first use. The
 * configuration is checked at first use. Without {@code encryptionKey} the record (with its tokens) is stored in clear.
 * The lease's operations are {@code JdbcLeases}'s, which this store delegates to.
 */
public class JdbcTokenStore implements TokenStore, RefreshLeases {

    public static final String DEFAULT_TABLE_NAME = "tokenrefresh_token";

    private static final Pattern TABLE_NAME
            = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    /** The provider, account, owner and instance columns are VARCHAR(200). */
    private static final int MAX_NAME = 200;

    private final JdbcDatabase database = new JdbcDatabase(this::toString);
    private final JdbcLeases leases = new JdbcLeases(database);
    private volatile boolean sendSpentRefreshToken = true;

    public JdbcTokenStore() {
    }

    public JdbcTokenStore(DataSource dataSource) {
        setDataSource(dataSource);
    }

    /** The database; required. */
    public void setDataSource(DataSource dataSource) {
        database.configure().dataSource = dataSource;
    }

    public DataSource getDataSource() {
        return database.config().dataSource;
    }

    /** The table, optionally schema-qualified ({@code schema.table}); default {@value #DEFAULT_TABLE_NAME}. */
    public void setTableName(String tableName) {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("JdbcTokenStore: option tableName must be a table name of letters, digits"
                                               + " and '_' (at most 63, not starting with a digit), optionally"
                                               + " schema-qualified with one '.', was '" + tableName + "'");
        }
        database.configure().tableName = tableName;
    }

    public String getTableName() {
        return database.config().tableName;
    }

    /** Creates the table and its index at first use when they do not exist (the DDL in tokenrefresh/jdbc/). */
    public void setCreateTable(boolean createTable) {
        database.configure().createTable = createTable;
    }

    public boolean isCreateTable() {
        return database.config().createTable;
    }

    /** postgresql, mariadb (or mysql) or h2; by default detected from the database product name. */
    public void setDialect(String dialect) {
        JdbcDialect d = dialect == null || dialect.isBlank() ? null : JdbcDialect.named(dialect);
        if (d == null && dialect != null && !dialect.isBlank()) {
            throw new IllegalArgumentException("JdbcTokenStore: option dialect must be postgresql, mariadb, mysql or h2,"
                                               + " was '" + dialect + "'");
        }
        database.configure().dialect = d;
    }

    /**
     * Encrypts the record column with AES-GCM, provider and account authenticated with it: a Base64 AES key of 16,
     * 24 or 32 bytes (the same form as the file store's storeEncryptionKey). Null or blank: records in clear.
     */
    public void setEncryptionKey(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            database.configure().cipher = null;
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JdbcTokenStore: option encryptionKey is not Base64");
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw new IllegalArgumentException("JdbcTokenStore: option encryptionKey must be an AES key of 16, 24 or"
                                               + " 32 bytes, was " + bytes.length);
        }
        database.configure().cipher = new RecordCipher(new SecretKeySpec(bytes, "AES"));
    }

    public boolean isEncrypted() {
        return database.config().cipher != null;
    }

    /**
     * What a replica does when it takes over the lease of a holder that died after sending the stored refresh token
     * (the provider has most likely rotated it away): {@code send} (default) sends it anyway, which a provider with a
     * reuse grace period accepts; {@code markDead} marks the account dead for every replica without sending it, for a
     * provider that revokes the whole grant on reuse (a person re-authorizes either way there).
     */
    public void setSpentRefreshToken(String action) {
        if ("send".equals(action)) {
            sendSpentRefreshToken = true;
        } else if ("markDead".equals(action)) {
            sendSpentRefreshToken = false;
        } else {
            throw new IllegalArgumentException("JdbcTokenStore: option spentRefreshToken must be send or markDead, was '"
                                               + action + "'");
        }
    }

    public String getSpentRefreshToken() {
        return sendSpentRefreshToken ? "send" : "markDead";
    }

    @Override
    public boolean sendsSpentRefreshToken() {
        return sendSpentRefreshToken;
    }

    /** Written to updated_by by saves outside a lease, for forensics; default {@code pid@host}. */
    public void setInstanceId(String instanceId) {
        database.configure().instanceId = name("instanceId", instanceId);
    }

    public String getInstanceId() {
        return database.config().instanceId;
    }

    @Override
    public StoredToken load(String provider, String account) {
        key(provider, account);
        return database.run("load", provider, account, false, (c, s) -> {
            try (PreparedStatement ps = c.prepareStatement(s.sql().load)) {
                JdbcDatabase.bind(ps, provider, account);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? s.rows().stored(provider, account, rs.getLong(1), rs.getBytes(2)) : null;
                }
            }
        });
    }

    @Override
    public StoredToken save(String provider, String account, Token token, long expectedVersion) {
        key(provider, account);
        Objects.requireNonNull(token, "token");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative, was " + expectedVersion);
        }
        long next = expectedVersion + 1;
        return database.run("save", provider, account, true, (c, s) -> {
            byte[] record = s.rows().record(provider, account, token, next);
            String instance = database.config().instanceId;
            if (expectedVersion == 0
                && s.insert(c, s.sql().insertFirst, provider, account, record, JdbcRows.expiresAt(token),
                            JdbcRows.issuedAt(token), instance) == 1) {
                return new StoredToken(token, next);
            }
            if (JdbcDatabase.update(c, s.sql().save, record, JdbcRows.expiresAt(token), JdbcRows.issuedAt(token), next,
                                    instance,
                                    JdbcRows.sha256(token.getRefreshToken()), provider, account, expectedVersion) == 1) {
                return new StoredToken(token, next);
            }
            throw new StaleTokenVersionException(provider, account, expectedVersion,
                                                 s.currentVersion(c, provider, account));
        });
    }

    @Override
    public void delete(String provider, String account) {
        key(provider, account);
        database.run("delete", provider, account, false,
                     (c, s) -> JdbcDatabase.update(c, s.sql().delete, database.config().instanceId, provider, account));
    }

    @Override
    public List<String> accounts(String provider) {
        name("provider", provider);
        return database.run("list the accounts of", provider, null, false, (c, s) -> s.accounts(c, s.sql().accounts,
                                                                                                   provider));
    }

    /**
     * The provider's accounts whose access token expires before {@code limit} (the expiry as the saving instance
     * computed it), soonest first; accounts with a record but no access token come before all others.
     */
    @Override
    public List<String> accountsExpiringBefore(String provider, Instant limit) {
        name("provider", provider);
        Objects.requireNonNull(limit, "limit");
        return database.run("list the due accounts of", provider, null, false,
                            (c, s) -> s.accounts(c, s.sql().due, provider, limit.toEpochMilli()));
    }

    /** As {@link #accountsExpiringBefore}, or issued before {@code issuedBefore}: by SQL on the issued_at column. */
    @Override
    public List<String> accountsDueBefore(String provider, Instant expiringBefore, Instant issuedBefore) {
        if (issuedBefore == null) {
            return accountsExpiringBefore(provider, expiringBefore);
        }
        name("provider", provider);
        Objects.requireNonNull(expiringBefore, "expiringBefore");
        return database.run("list the due accounts of", provider, null, false,
                            (c, s) -> s.accounts(c, s.sql().dueOrIdle, provider, expiringBefore.toEpochMilli(),
                                                 issuedBefore.toEpochMilli()));
    }

    /** This store: its table is also the lease table. */
    @Override
    public RefreshLeases leases() {
        return this;
    }

    @Override
    public RefreshLease acquire(String provider, String account, String owner, Duration hold, Duration grace) {
        return leases.acquire(provider, account, owner, hold, grace);
    }

    @Override
    public StoredToken saveAndRelease(RefreshLease lease, Token token) {
        return leases.saveAndRelease(lease, token);
    }

    @Override
    public void release(RefreshLease lease) {
        leases.release(lease);
    }

    @Override
    public void releaseDead(RefreshLease lease, String refreshTokenSha256) {
        leases.releaseDead(lease, refreshTokenSha256);
    }

    /** Yes: a held lease is renewed by one UPDATE on the database clock (on MariaDB, and a SELECT of its end). */
    @Override
    public boolean renews() {
        return true;
    }

    @Override
    public RefreshLease renew(RefreshLease lease, Duration ttl) {
        return leases.renew(lease, ttl);
    }

    @Override
    public RefreshLease markSending(RefreshLease lease, Duration ttl) {
        return leases.markSending(lease, ttl);
    }

    @Override
    public RefreshLease holder(String provider, String account) {
        return leases.holder(provider, account);
    }

    /** The table and the database product; never the JDBC URL, a user or a key. */
    @Override
    public String toString() {
        Setup s = database.current();
        JdbcDatabase.Config config = database.config();
        return "JdbcTokenStore[table=" + config.tableName + ", "
               + (s == null ? "not connected yet" : s.product()) + (config.cipher == null ? "" : ", encrypted") + "]";
    }

    /** The checks of every key, also {@link JdbcLeases}'s: each fits its VARCHAR(200) column. */
    static void key(String provider, String account) {
        name("provider", provider);
        name("account", account);
    }

    static String name(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_NAME) {
            throw new IllegalArgumentException("JdbcTokenStore: " + what + " must have 1 to " + MAX_NAME
                                               + " characters, had " + (value == null ? "none" : value.length()));
        }
        return value;
    }
}
