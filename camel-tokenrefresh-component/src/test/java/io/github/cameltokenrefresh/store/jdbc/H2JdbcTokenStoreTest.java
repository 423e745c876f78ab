package io.github.cameltokenrefresh.store.jdbc;

/** The store contract on H2. */
class H2JdbcTokenStoreTest extends JdbcTokenStoreContractTest {

    @Override
    TestDatabases database() {
        return TestDatabases.H2;
    }

    @Override
    String schema() {
        return "PUBLIC";
    }
}
