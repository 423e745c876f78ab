package io.github.cameltokenrefresh.store.jdbc;

/** The store contract on Mariadb. */
class MariadbJdbcTokenStoreIT extends JdbcTokenStoreContractTest {

    @Override
    TestDatabases database() {
        return TestDatabases.MARIADB;
    }

    @Override
    String schema() {
        return "test";
    }
}
