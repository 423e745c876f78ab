-- JdbcTokenStore on MariaDB and MySQL (InnoDB): one row per provider and account (docs/stores.md#jdbc-store).
-- ${table} and ${index} are replaced by the store (tableName, default tokenrefresh_token) when createTable=true.
-- Times are milliseconds since the epoch (UTC); lease times come from the database clock. issued_at is when the
-- saved token was issued (its last refresh): keepAliveAge finds the accounts idle for longer.
-- Binary collation: accounts "A" and "a" are two accounts, as in every other store.
CREATE TABLE IF NOT EXISTS ${table} (
    provider          VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    account           VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    version           BIGINT       NOT NULL,
    record            MEDIUMBLOB,
    expires_at        BIGINT,
    issued_at         BIGINT,
    updated_at        BIGINT       NOT NULL,
    updated_by        VARCHAR(200),
    dead_rt_sha256    CHAR(64),
    lease_owner       VARCHAR(200),
    lease_fence       BIGINT       NOT NULL,
    lease_started     BIGINT,
    lease_until       BIGINT,
    lease_interrupted SMALLINT     NOT NULL,
    PRIMARY KEY (provider, account),
    INDEX ${index} (provider, expires_at)
) ENGINE = InnoDB;
