package io.github.cameltokenrefresh.store.jdbc;

/** The refresh lease on H2. */
class H2RefreshLeaseTest extends JdbcRefreshLeaseTest {

    @Override
    TestDatabases database() {
        return TestDatabases.H2;
    }
}
