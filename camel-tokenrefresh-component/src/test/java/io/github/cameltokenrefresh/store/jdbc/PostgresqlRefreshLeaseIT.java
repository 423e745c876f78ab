package io.github.cameltokenrefresh.store.jdbc;

/** The refresh lease on Postgresql. */
class PostgresqlRefreshLeaseIT extends JdbcRefreshLeaseTest {

    @Override
    TestDatabases database() {
        return TestDatabases.POSTGRESQL;
    }
}
