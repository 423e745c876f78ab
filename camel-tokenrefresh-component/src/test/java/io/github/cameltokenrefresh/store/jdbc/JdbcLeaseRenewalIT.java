package io.github.cameltokenrefresh.store.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.RefreshLease;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.cameltokenrefresh.store.TokenStoreContractTest.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC store's lease renewal on each database, statement by statement, by the database clock: a renewal moves the
 * lease's end and keeps others out past its first end; a holder that stopped renewing (paused, cut off) loses it to a
 * successor and can then neither renew nor save (the fence); markSending tells the successor the refresh token is
 * spent, not only that it may be.
 */
class JdbcLeaseRenewalIT {

    private static final Duration TTL = Duration.ofSeconds(2);

    private static JdbcTokenStore store(DataSource ds, String table) {
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(table);
        store.setCreateTable(true);
        return store;
    }

    private static void awaitDatabasePast(TestDatabases db, DataSource ds, RefreshLease lease) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> db.nowMillis(ds) > lease.until().toEpochMilli());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aRenewedLeaseOutlivesItsFirstEndAndKeepsItsFence(TestDatabases db) {
        DataSource ds = db.dataSource();
        String table = TestDatabases.newTableName();
        try {
            JdbcTokenStore store = store(ds, table);
            assertTrue(store.renews());
            RefreshLease lease = store.acquire("p", "a", "node-1", TTL, Duration.ZERO);
            RefreshLease renewed = store.renew(lease, TTL);
            assertEquals(lease.fence(), renewed.fence());
            assertFalse(renewed.until().isBefore(lease.until()), renewed + " after " + lease);
            assertEquals(renewed.until(), store.holder("p", "a").until(), "the database's end, as the store reads it");

            // past the first end, renewed all along: still ours, nobody else gets it
            RefreshLease current = renewed;
            while (db.nowMillis(ds) <= lease.until().toEpochMilli() + 200) {
                current = store.renew(current, TTL);
                assertNull(store.acquire("p", "a", "node-2", TTL, Duration.ZERO), "a renewed lease is never taken");
            }
            assertEquals(lease.fence(), store.holder("p", "a").fence());
            assertEquals(1, store.saveAndRelease(current, token("at-1", "rt-1")).version(), "the holder saves");
            assertThrows(LeaseLostException.class, () -> store.renew(lease, TTL), "a released lease is not renewed");
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aHolderThatStoppedRenewingLosesTheLeaseAndItsFenceKeepsItFromSaving(TestDatabases db) {
        DataSource ds = db.dataSource();
        String table = TestDatabases.newTableName();
        try {
            JdbcTokenStore store = store(ds, table);
            store.save("p", "a", token("at-0", "rt-0"), 0);
            RefreshLease paused = store.acquire("p", "a", "node-1", TTL, Duration.ZERO);
            awaitDatabasePast(db, ds, paused); // it was frozen: no renewal

            RefreshLease successor = store.acquire("p", "a", "node-2", TTL, Duration.ZERO);
            assertNotNull(successor, "taken over one TTL after the last renewal");
            assertTrue(successor.interrupted());
            assertFalse(successor.spent(), "the paused holder had not marked a token call");

            assertThrows(LeaseLostException.class, () -> store.renew(paused, TTL), "waking up, it cannot renew");
            assertThrows(LeaseLostException.class, () -> store.markSending(paused, TTL), "nor start a token call");
            assertThrows(LeaseLostException.class, () -> store.saveAndRelease(paused, token("at-x", "rt-x")),
                         "nor save over its successor");
            assertEquals(2, store.saveAndRelease(successor, token("at-2", "rt-2")).version());
            assertEquals("rt-2", store.load("p", "a").token().getRefreshToken());
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aSuccessorLearnsThatTheDeadHolderHadSentTheRefreshToken(TestDatabases db) {
        DataSource ds = db.dataSource();
        String table = TestDatabases.newTableName();
        try {
            JdbcTokenStore store = store(ds, table);
            store.save("p", "a", token("at-0", "rt-0"), 0);
            RefreshLease dying = store.acquire("p", "a", "node-1", TTL, Duration.ZERO);
            RefreshLease sending = store.markSending(store.markSending(dying, TTL), TTL); // twice: marked once
            assertEquals(dying.fence(), sending.fence());
            awaitDatabasePast(db, ds, sending);

            RefreshLease successor = store.acquire("p", "a", "node-2", TTL, Duration.ZERO);
            assertTrue(successor.interrupted() && successor.spent(), successor.toString());
            // it dies too, before its own token call: the stored refresh token is still the spent one
            awaitDatabasePast(db, ds, successor);
            RefreshLease third = store.acquire("p", "a", "node-3", TTL, Duration.ZERO);
            assertTrue(third.interrupted() && third.spent(), "spent until something is saved: " + third);

            store.saveAndRelease(third, token("at-3", "rt-3"));
            RefreshLease clean = store.acquire("p", "a", "node-4", TTL, Duration.ZERO);
            assertFalse(clean.interrupted() || clean.spent(), clean.toString());
            store.release(clean);
        } finally {
            TestDatabases.dropTable(ds, table);
        }
    }
}
