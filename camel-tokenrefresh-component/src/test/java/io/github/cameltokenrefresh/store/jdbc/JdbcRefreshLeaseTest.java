package io.github.cameltokenrefresh.store.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.github.cameltokenrefresh.store.TokenStoreContractTest.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refresh lease of the JDBC store on one database (one subclass per database); times are the database's. */
abstract class JdbcRefreshLeaseTest {

    static final Duration HOLD = Duration.ofSeconds(30);
    static final Duration NO_GRACE = Duration.ZERO;
    /** A hold that is over by the time the database is asked again: the lease expires without sleeping. */
    static final Duration BLINK = Duration.ofMillis(1);

    DataSource dataSource;
    String table;
    JdbcTokenStore store;

    abstract TestDatabases database();

    @BeforeEach
    void createTable() {
        dataSource = database().dataSource();
        table = TestDatabases.newTableName();
        store = newStore(dataSource);
    }

    JdbcTokenStore newStore(DataSource ds) {
        JdbcTokenStore s = new JdbcTokenStore(ds);
        s.setTableName(table);
        s.setCreateTable(true);
        return s;
    }

    @AfterEach
    void dropTable() {
        if (dataSource != null) {
            TestDatabases.dropTable(dataSource, table);
        }
    }

    /** Waits (polling, no sleep) until the database clock is past the lease's end. */
    void awaitExpiry(RefreshLease lease) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> database().nowMillis(dataSource) > lease.until().toEpochMilli());
    }

    @Test
    void acquiringGivesTheNextFenceAndTheDatabaseTimes() {
        long before = database().nowMillis(dataSource);
        RefreshLease first = store.acquire("p", "a", "node-1", HOLD, NO_GRACE);
        long after = database().nowMillis(dataSource);

        assertEquals(1, first.fence());
        assertEquals("node-1", first.owner());
        assertNull(first.current(), "no record yet");
        assertEquals(0, first.expectedVersion());
        assertFalse(first.interrupted());
        assertNull(first.deadRefreshTokenSha256());
        assertTrue(first.acquiredAt().toEpochMilli() >= before && first.acquiredAt().toEpochMilli() <= after,
                   first + " between " + before + " and " + after);
        assertEquals(HOLD, Duration.between(first.acquiredAt(), first.until()));
        assertNull(store.load("p", "a"), "the slot the lease lives in is not a record");
        assertEquals(List.of(), store.accounts("p"));

        RefreshLease held = store.holder("p", "a");
        assertEquals("node-1", held.owner());
        assertEquals(1, held.fence());
        assertEquals(first.until(), held.until());

        store.release(first);
        assertNull(store.holder("p", "a"));
        assertEquals(2, store.acquire("p", "a", "node-2", HOLD, NO_GRACE).fence());
    }

    @Test
    void afterADeleteTheNextLeaseSeesNoRecord() {
        // how a replica notices an account disconnected on another: the record it was read from is gone
        RefreshLease lease = store.acquire("p", "a", "node-1", HOLD, NO_GRACE);
        store.saveAndRelease(lease, token("at-1", "rt-1"));
        store.delete("p", "a");

        RefreshLease next = store.acquire("p", "a", "node-2", HOLD, NO_GRACE);
        assertNull(next.current(), "the deleted record");
        assertEquals(0, next.expectedVersion());
        assertEquals(2, next.fence(), "the row stays, so fences keep growing");
        assertEquals(1, store.saveAndRelease(next, token("at-2", "rt-2")).version(), "onboarded again from version 1");
    }

    @Test
    void aSecondOwnerGetsNothingWhileTheLeaseIsHeld() {
        RefreshLease held = store.acquire("p", "a", "node-1", HOLD, NO_GRACE);
        assertNull(store.acquire("p", "a", "node-2", HOLD, NO_GRACE));
        assertNull(store.acquire("p", "a", "node-1", HOLD, NO_GRACE), "not even its own owner twice");
        assertNotNull(store.acquire("p", "other", "node-2", HOLD, NO_GRACE), "other accounts are free");
        assertEquals(held.fence(), store.holder("p", "a").fence());
    }

    @Test
    void takeoverOnlyAfterUntilPlusGraceAndItSaysInterrupted() {
        RefreshLease dying = store.acquire("p", "a", "node-1", BLINK, NO_GRACE);
        awaitExpiry(dying);

        assertNull(store.acquire("p", "a", "node-2", HOLD, Duration.ofHours(1)), "inside the grace: no takeover");
        RefreshLease successor = store.acquire("p", "a", "node-2", HOLD, NO_GRACE);
        assertNotNull(successor);
        assertEquals(dying.fence() + 1, successor.fence());
        assertTrue(successor.interrupted(), "the previous lease was never released");

        store.release(successor);
        assertFalse(store.acquire("p", "a", "node-3", HOLD, NO_GRACE).interrupted(), "a released lease is no takeover");
    }

    @Test
    void saveAndReleaseWithTheRightFenceAndVersionSavesAndReleases() {
        RefreshLease lease = store.acquire("p", "a", "node-1", HOLD, NO_GRACE);
        StoredToken saved = store.saveAndRelease(lease, token("at-1", "rt-1"));
        assertEquals(1, saved.version());
        assertNull(store.holder("p", "a"), "released");
        assertEquals("rt-1", store.load("p", "a").token().getRefreshToken());
        assertEquals("node-1", TestDatabases.queryOne(dataSource, "SELECT updated_by FROM " + table
                                                                  + " WHERE account = ?", "a"));

        RefreshLease next = store.acquire("p", "a", "node-2", HOLD, NO_GRACE);
        assertEquals(1, next.expectedVersion());
        assertEquals("rt-1", next.current().token().getRefreshToken(), "the lease carries the record as taken");
        assertEquals(2, store.saveAndRelease(next, token("at-2", "rt-2")).version());
        assertEquals(List.of("a"), store.accounts("p"));
    }

    @Test
    void aStaleHolderCannotSaveAfterATakeoverAndWritesNothing() {
        store.save("p", "a", token("at-0", "rt-0"), 0);
        RefreshLease stale = store.acquire("p", "a", "node-1", BLINK, NO_GRACE);
        awaitExpiry(stale);
        RefreshLease successor = store.acquire("p", "a", "node-2", HOLD, NO_GRACE);

        assertThrows(LeaseLostException.class, () -> store.saveAndRelease(stale, token("at-stale", "rt-stale")));
        assertEquals("rt-0", store.load("p", "a").token().getRefreshToken(), "nothing written");
        assertEquals(successor.fence(), store.holder("p", "a").fence(), "the successor still holds it");

        store.saveAndRelease(successor, token("at-2", "rt-2"));
        assertThrows(LeaseLostException.class, () -> store.saveAndRelease(stale, token("at-stale", "rt-stale")));
        store.release(stale); // a stale release is a no-op
        assertEquals("rt-2", store.load("p", "a").token().getRefreshToken());
        assertEquals(2, store.load("p", "a").version());
    }

    @Test
    void aStaleReleaseDoesNotFreeTheSuccessorsLease() {
        RefreshLease stale = store.acquire("p", "a", "node-1", BLINK, NO_GRACE);
        awaitExpiry(stale);
        RefreshLease successor = store.acquire("p", "a", "node-2", HOLD, NO_GRACE);
        store.release(stale);
        assertEquals("node-2", store.holder("p", "a").owner());
        assertNull(store.acquire("p", "a", "node-3", HOLD, NO_GRACE));
        assertEquals(successor.fence(), store.holder("p", "a").fence());
    }

    @Test
    void aSaveOutsideTheLeaseMakesTheFencedSaveFail() {
        RefreshLease lease = store.acquire("p", "a", "node-1", HOLD, NO_GRACE);
        store.save("p", "a", token("at-seeded", "rt-seeded"), 0);
        assertThrows(LeaseLostException.class, () -> store.saveAndRelease(lease, token("at-1", "rt-1")));
        assertEquals("rt-seeded", store.load("p", "a").token().getRefreshToken());
    }

    @Test
    void releaseDeadRecordsTheHashOnlyAndALaterSaveClearsIt() {
        store.save("p", "a", token("at-0", "rt-dead-secret"), 0);
        store.save("p", "b", token("at-b", "rt-b"), 0);
        String hash = JdbcRows.sha256("rt-dead-secret");
        RefreshLease lease = store.acquire("p", "a", "node-1", HOLD, NO_GRACE);
        store.releaseDead(lease, hash.toUpperCase());

        assertNull(store.holder("p", "a"), "released");
        assertEquals(hash, ((String) TestDatabases.queryOne(dataSource, "SELECT dead_rt_sha256 FROM " + table
                                                                        + " WHERE account = ?", "a")).trim());
        assertEquals("rt-dead-secret", store.load("p", "a").token().getRefreshToken(), "the record stays readable");
        assertNull(store.acquire("p", "b", "node-1", HOLD, NO_GRACE).deadRefreshTokenSha256(), "other accounts: no");

        RefreshLease next = store.acquire("p", "a", "node-2", HOLD, NO_GRACE);
        assertEquals(hash, next.deadRefreshTokenSha256(), "every later holder learns it");
        StoredToken sameDead = store.saveAndRelease(next, token("at-x", "rt-dead-secret"));
        RefreshLease again = store.acquire("p", "a", "node-2", HOLD, NO_GRACE);
        assertEquals(hash, again.deadRefreshTokenSha256(), "saving the dead refresh token again keeps it dead");
        assertEquals(sameDead.version(), again.expectedVersion());

        store.saveAndRelease(again, token("at-new", "rt-new"));
        assertNull(store.acquire("p", "a", "node-3", HOLD, NO_GRACE).deadRefreshTokenSha256(), "a new one clears it");
    }

    @Test
    void releaseDeadRefusesAnythingButAHashAndAStaleHolder() {
        RefreshLease lease = store.acquire("p", "a", "node-1", BLINK, NO_GRACE);
        IllegalArgumentException notAHash = assertThrows(IllegalArgumentException.class,
                                                         () -> store.releaseDead(lease, "rt-passed-by-mistake"));
        assertFalse(notAHash.getMessage().contains("rt-passed-by-mistake"));
        awaitExpiry(lease);
        store.acquire("p", "a", "node-2", HOLD, NO_GRACE);
        assertThrows(LeaseLostException.class, () -> store.releaseDead(lease, JdbcRows.sha256("rt")));
        assertNull(TestDatabases.queryOne(dataSource, "SELECT dead_rt_sha256 FROM " + table + " WHERE account = ?", "a"));
    }

    /**
     * Rounds of threads on two DataSources (two stores, as two processes would have) acquiring at once: exactly one
     * wins each round, and fences only grow.
     */
    @Test
    void racingAcquirersHaveExactlyOneWinnerPerRoundAndFencesGrow() throws Exception {
        JdbcTokenStore[] stores = { store, newStore(database().dataSource()) };
        int threads = 8;
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long lastFence = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<RefreshLease>> tries = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    JdbcTokenStore s = stores[t % 2];
                    String owner = "node-" + t;
                    tries.add(pool.submit(() -> {
                        start.await();
                        return s.acquire("p", "raced", owner, HOLD, NO_GRACE);
                    }));
                }
                start.countDown();
                List<RefreshLease> winners = new ArrayList<>();
                for (Future<RefreshLease> f : tries) {
                    RefreshLease lease = f.get(60, TimeUnit.SECONDS);
                    if (lease != null) {
                        winners.add(lease);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": " + winners);
                RefreshLease winner = winners.get(0);
                assertTrue(winner.fence() > lastFence, winner + " after fence " + lastFence);
                lastFence = winner.fence();
                assertEquals(round, winner.expectedVersion());
                Token t = token("at-" + round, "rt-" + round);
                assertEquals(round + 1, stores[round % 2].saveAndRelease(winner, t).version());
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertEquals("rt-" + (rounds - 1), store.load("p", "raced").token().getRefreshToken());
    }
}
