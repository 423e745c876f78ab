package io.github.cameltokenrefresh.store.jdbc;

/** The refresh lease on Mariadb. */
class MariadbRefreshLeaseIT extends JdbcRefreshLeaseTest {

    @Override
    TestDatabases database() {
        return TestDatabases.MARIADB;
    }
}
