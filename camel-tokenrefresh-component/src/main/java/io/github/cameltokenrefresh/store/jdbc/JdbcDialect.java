package io.github.cameltokenrefresh.store.jdbc;

import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between the databases {@link JdbcTokenStore} supports: the database clock as epoch milliseconds, the
 * insert-if-absent form, and how an UPDATE hands back the row it changed.
 */
enum JdbcDialect {

    POSTGRESQL("CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)", Returning.RETURNING) {
        @Override
        String insertIfAbsent(String table, String columns, String values) {
            return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values
                   + ") ON CONFLICT (provider, account) DO NOTHING";
        }
    },
    /**
     * MariaDB and MySQL. UTC_TIMESTAMP, not NOW(): NOW() is the session's local time, which repeats an hour when
     * daylight saving time ends. A plain INSERT whose duplicate key is caught, not INSERT IGNORE: IGNORE also turns a
     * too long value into a warning and stores it truncated.
     */
    MARIADB("(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)", Returning.SELECT_AFTER) {
        @Override
        String insertIfAbsent(String table, String columns, String values) {
            return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ")";
        }

        /**
         * INSERT IGNORE here: a replica waiting for a held lease runs this at every look, and the driver logs each
         * caught duplicate key as a WARN. Safe from truncation: a slot's values are the names the store checked to fit
         * their columns, and NULLs.
         */
        @Override
        String insertSlotIfAbsent(String table, String columns, String values) {
            return "INSERT IGNORE INTO " + table + " (" + columns + ") VALUES (" + values + ")";
        }
    },
    H2("DATEDIFF(MILLISECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', CURRENT_TIMESTAMP)",
       Returning.FINAL_TABLE) {
        @Override
        String insertIfAbsent(String table, String columns, String values) {
            // the first two columns are always provider and account: the merge key
            String rest = values.substring(values.indexOf(',', values.indexOf(',') + 1));
            return "MERGE INTO " + table + " d USING (VALUES (CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(200))))"
                   + " s(provider, account) ON d.provider = s.provider AND d.account = s.account"
                   + " WHEN NOT MATCHED THEN INSERT (" + columns + ") VALUES (s.provider, s.account" + rest + ")";
        }
    };

    /** How the acquiring UPDATE returns the row: in the statement itself, or by a SELECT in the same transaction. */
    enum Returning {
        RETURNING,
        FINAL_TABLE,
        SELECT_AFTER
    }

    private final String now;
    private final Returning returning;

    JdbcDialect(String now, Returning returning) {
        this.now = now;
        this.returning = returning;
    }

    /** The database clock in milliseconds since the epoch, as an SQL expression. */
    String now() {
        return now;
    }

    Returning returning() {
        return returning;
    }

    /**
     * An insert that adds nothing when the provider and account already have a row: its update count is 0 then (or
     * it fails with a duplicate key, see {@link #isDuplicateKey}). Columns start with provider, account.
     */
    abstract String insertIfAbsent(String table, String columns, String values);

    /** As {@link #insertIfAbsent}, for a slot (no record): the statement a lease wait repeats. */
    String insertSlotIfAbsent(String table, String columns, String values) {
        return insertIfAbsent(table, columns, values);
    }

    /** A concurrent insert of the same key: the row exists, which is all an insert-if-absent wants. */
    boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || (this == MARIADB && e.getErrorCode() == 1062);
    }

    /** The DDL shipped in the jar for this database, with {@code ${table}} and {@code ${index}} to replace. */
    String ddlResource() {
        return "/tokenrefresh/jdbc/" + name().toLowerCase(Locale.ROOT) + ".sql";
    }

    /** The index name for a (possibly schema-qualified) table: H2 wants it qualified, the others in the table's schema. */
    String indexName(String table) {
        int dot = table.indexOf('.');
        String local = dot < 0 ? table : table.substring(dot + 1);
        String name = (local.length() > 59 ? local.substring(0, 59) : local) + "_due";
        return this == H2 && dot >= 0 ? table.substring(0, dot + 1) + name : name;
    }

    /** From DatabaseMetaData.getDatabaseProductName(), or null when not supported. */
    static JdbcDialect detect(String productName) {
        String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MARIADB;
        }
        if (p.equals("h2")) {
            return H2;
        }
        return null;
    }

    /** The value of the {@code dialect} option: postgresql, mariadb (or mysql), h2; null when unknown. */
    static JdbcDialect named(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "postgresql":
                return POSTGRESQL;
            case "mariadb":
            case "mysql":
                return MARIADB;
            case "h2":
                return H2;
            default:
                return null;
        }
    }
}
