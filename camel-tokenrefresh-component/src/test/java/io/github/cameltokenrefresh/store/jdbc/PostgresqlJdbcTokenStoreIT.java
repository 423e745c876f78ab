package io.github.cameltokenrefresh.store.jdbc;

/** The store contract on Postgresql. */
class PostgresqlJdbcTokenStoreIT extends JdbcTokenStoreContractTest {

    @Override
    TestDatabases database() {
        return TestDatabases.POSTGRESQL;
    }

    @Override
    String schema() {
        return "public";
    }
}
