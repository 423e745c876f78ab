-- JdbcTokenStore on H2 2.x: one row per provider and account (docs/stores.md#jdbc-store).
-- ${table} and ${index} are replaced by the store (tableName, default tokenrefresh_token) when createTable=true.
-- Times are milliseconds since the epoch (UTC); lease times come from the database clock. issued_at is when the
-- saved token was issued (its last refresh): keepAliveAge finds the accounts idle for longer.
CREATE TABLE IF NOT EXISTS ${table} (
    provider          VARCHAR(200) NOT NULL,
    account           VARCHAR(200) NOT NULL,
    version           BIGINT       NOT NULL,
    record            VARBINARY(1000000),
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
    PRIMARY KEY (provider, account)
);
CREATE INDEX IF NOT EXISTS ${index} ON ${table} (provider, expires_at);
