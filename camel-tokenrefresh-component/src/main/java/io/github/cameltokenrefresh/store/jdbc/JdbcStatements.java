package io.github.cameltokenrefresh.store.jdbc;

/**
 * The SQL of {@link JdbcTokenStore}, built once per table and dialect. Every UPDATE changes a column whenever its WHERE
 * matches (a version, a fence or the lease owner), so MariaDB Connector/J's matched-rows count equals the changed-rows
 * count. A row whose record is NULL is a slot: it carries the lease and a dead refresh token hash, but no record.
 */
final class JdbcStatements {

    /** What {@link #acquire} and friends return, in this order (JdbcRows reads them by position). */
    static final String LEASE_COLUMNS = "version, record, lease_fence, lease_started, lease_until, dead_rt_sha256,"
                                        + " lease_interrupted, lease_owner";

    private static final String KEY = " WHERE provider = ? AND account = ?";
    /** Keeps a dead refresh token's hash only when the saved token carries that same refresh token (or none). */
    private static final String DEAD_AFTER_SAVE
            = "dead_rt_sha256 = CASE WHEN dead_rt_sha256 = COALESCE(?, dead_rt_sha256) THEN dead_rt_sha256 ELSE NULL END";

    final String load;
    final String accounts;
    final String due;
    /** As {@link #due}, or issued before the second parameter (keep-alive). */
    final String dueOrIdle;
    final String delete;
    final String insertFirst;
    final String insertSlot;
    /**
     * Parameters: record, expires_at, issued_at, new version, updated_by, new refresh token hash, provider, account,
     * version.
     */
    final String save;
    /** As {@link #save}, plus the fence; releases the lease. */
    final String saveAndRelease;
    /** Parameters: owner, hold millis, provider, account, grace millis. */
    final String acquireUpdate;
    /** The acquiring statement as this dialect runs it; for SELECT_AFTER the UPDATE, then {@link #leaseRow}. */
    final String acquire;
    final String leaseRow;
    final String holder;
    /** Parameters: ttl millis, provider, account, fence. As this dialect runs it: RETURNING lease_until, or not. */
    final String renew;
    /** As {@link #renew}, also marking that the holder sends the refresh token now (lease_interrupted + 2). */
    final String markSending;
    /** For SELECT_AFTER: the lease_until a renewal wrote; parameters provider, account, fence. */
    final String renewedUntil;
    final String release;
    final String releaseDead;

    JdbcStatements(String table, JdbcDialect dialect) {
        String now = dialect.now();
        load = "SELECT version, record FROM " + table + KEY + " AND record IS NOT NULL";
        accounts = "SELECT account FROM " + table + " WHERE provider = ? AND record IS NOT NULL ORDER BY account";
        due = "SELECT account FROM " + table + " WHERE provider = ? AND record IS NOT NULL"
              + " AND (expires_at IS NULL OR expires_at < ?)"
              + " ORDER BY CASE WHEN expires_at IS NULL THEN 0 ELSE 1 END, expires_at, account";
        dueOrIdle = "SELECT account FROM " + table + " WHERE provider = ? AND record IS NOT NULL"
                    + " AND (expires_at IS NULL OR expires_at < ? OR issued_at < ?)"
                    + " ORDER BY CASE WHEN expires_at IS NULL THEN 0 ELSE 1 END, expires_at, account";
        // the row stays, so lease fences keep growing; version 0 is "nothing stored", as after a file store's delete
        delete = "UPDATE " + table + " SET record = NULL, version = 0, expires_at = NULL, issued_at = NULL, updated_at = " + now
                 + ", updated_by = ?" + KEY + " AND record IS NOT NULL";
        String columns = "provider, account, version, record, expires_at, issued_at, updated_at, updated_by,"
                         + " lease_fence, lease_interrupted";
        insertFirst = dialect.insertIfAbsent(table, columns, "?, ?, 1, ?, ?, ?, " + now + ", ?, 0, 0");
        insertSlot = dialect.insertSlotIfAbsent(table, columns, "?, ?, 0, NULL, NULL, NULL, " + now + ", ?, 0, 0");
        String saveSet = "UPDATE " + table + " SET record = ?, expires_at = ?, issued_at = ?, version = ?, updated_at = "
                         + now
                         + ", updated_by = ?, " + DEAD_AFTER_SAVE;
        save = saveSet + KEY + " AND version = ?";
        saveAndRelease = saveSet + ", lease_owner = NULL, lease_until = NULL, lease_interrupted = 0" + KEY
                         + " AND version = ? AND lease_fence = ?";
        // lease_interrupted, while a lease is held: 1 = it was taken over unreleased, + 2 = its holder is sending the
        // refresh token (markSending), + 4 = a holder before it had sent the refresh token and never saved (spent)
        // MariaDB assigns left to right, each assignment seeing the ones before: lease_interrupted reads the old
        // lease_owner only because it comes first (PostgreSQL and H2 always read old values)
        acquireUpdate = "UPDATE " + table + " SET lease_interrupted = CASE WHEN lease_owner IS NULL THEN 0"
                        + " WHEN MOD(lease_interrupted, 4) >= 2 OR lease_interrupted >= 4 THEN 5 ELSE 1 END,"
                        + " lease_fence = lease_fence + 1, lease_owner = ?, lease_started = " + now
                        + ", lease_until = " + now + " + ?" + KEY
                        + " AND (lease_owner IS NULL OR lease_until < " + now + " - ?)";
        switch (dialect.returning()) {
            case RETURNING:
                acquire = acquireUpdate + " RETURNING " + LEASE_COLUMNS;
                break;
            case FINAL_TABLE:
                acquire = "SELECT " + LEASE_COLUMNS + " FROM FINAL TABLE (" + acquireUpdate + ")";
                break;
            default:
                acquire = acquireUpdate;
        }
        leaseRow = "SELECT " + LEASE_COLUMNS + " FROM " + table + KEY;
        holder = "SELECT lease_owner, lease_fence, lease_started, lease_until, lease_interrupted FROM " + table + KEY
                 + " AND lease_owner IS NOT NULL";
        // renewals change lease_until; in the same millisecond they match without changing, which MariaDB
        // Connector/J still counts (matched rows)
        String fenced = KEY + " AND lease_fence = ? AND lease_owner IS NOT NULL";
        String renewUpdate = "UPDATE " + table + " SET lease_until = " + now + " + ?" + fenced;
        String markUpdate = "UPDATE " + table + " SET lease_until = " + now + " + ?, lease_interrupted = CASE WHEN"
                            + " MOD(lease_interrupted, 4) >= 2 THEN lease_interrupted ELSE lease_interrupted + 2 END"
                            + fenced;
        renew = returningUntil(dialect, renewUpdate);
        markSending = returningUntil(dialect, markUpdate);
        renewedUntil = "SELECT lease_until FROM " + table + fenced;
        String free = "lease_owner = NULL, lease_until = NULL, lease_interrupted = 0";
        release = "UPDATE " + table + " SET " + free + KEY + " AND lease_fence = ? AND lease_owner IS NOT NULL";
        releaseDead = "UPDATE " + table + " SET dead_rt_sha256 = ?, updated_at = " + now + ", updated_by = ?, " + free
                      + KEY + " AND lease_fence = ? AND lease_owner IS NOT NULL";
    }

    private static String returningUntil(JdbcDialect dialect, String update) {
        switch (dialect.returning()) {
            case RETURNING:
                return update + " RETURNING lease_until";
            case FINAL_TABLE:
                return "SELECT lease_until FROM FINAL TABLE (" + update + ")";
            default:
                return update;
        }
    }
}
