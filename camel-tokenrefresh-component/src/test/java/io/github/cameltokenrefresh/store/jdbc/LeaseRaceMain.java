package io.github.cameltokenrefresh.store.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.token.Token;

/**
 * One process of {@link TwoJvmLeaseRaceIT}: takes the lease of one account until it has saved {@code wins} times,
 * printing "fence version" for each win. Args: database (H2 file URL, or POSTGRESQL / MARIADB), table, owner, wins.
 */
public final class LeaseRaceMain {

    private LeaseRaceMain() {
    }

    public static void main(String[] args) {
        DataSource ds = TestDatabases.fromArgument(args[0]);
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(args[1]);
        store.setCreateTable(true);
        String owner = args[2];
        int wins = Integer.parseInt(args[3]);
        for (int won = 0; won < wins;) {
            RefreshLease lease = store.acquire("p", "raced", owner, Duration.ofSeconds(60), Duration.ZERO);
            if (lease == null) {
                Thread.onSpinWait();
                continue;
            }
            long version = lease.expectedVersion();
            Token token = Token.builder().accessToken("at").refreshToken("rt-" + (version + 1) + "-" + owner)
                    .issuedAt(java.time.Instant.now()).build();
            store.saveAndRelease(lease, token);
            System.out.println("WIN " + lease.fence() + " " + version);
            won++;
        }
        System.out.flush();
    }
}
