package io.github.cameltokenrefresh.store.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The lease holder {@link LeaseHolderKillIT} kills, in a JVM of its own: a Camel context whose provider {@code p}
 * shares the JDBC store; on a line {@code GO} from standard input it forces one refresh of account {@code default}.
 * The store tells on itself ({@code LEASE fence} once it holds the lease, {@code SAVING fence} once the token endpoint
 * has answered and the save is about to run) and, at the moment named by the argument, stops there for good
 * ({@code PAUSED}) so that the test's SIGKILL lands exactly then.
 * <p>
 * Arguments: database (an H2 URL or a TestDatabases name), table, token URL, client secret, moment
 * ({@code before-call}: lease taken, refresh token not sent; {@code before-save}: the provider answered, nothing
 * saved; anything else: no pause, the test holds the token call at the server).
 */
public final class LeaseHolderMain {

    private LeaseHolderMain() {
    }

    /** A JDBC store that reports its lease steps and stops at one of them. */
    static final class TellingStore extends JdbcTokenStore {
        private final String pauseAt;

        TellingStore(javax.sql.DataSource ds, String pauseAt) {
            super(ds);
            this.pauseAt = pauseAt;
        }

        @Override
        public RefreshLease acquire(String provider, String account, String owner, Duration hold, Duration grace) {
            RefreshLease lease = super.acquire(provider, account, owner, hold, grace);
            if (lease != null) {
                System.out.println("LEASE " + lease.fence());
                pauseIf("before-call");
            }
            return lease;
        }

        @Override
        public StoredToken saveAndRelease(RefreshLease lease, Token token) {
            System.out.println("SAVING " + lease.fence());
            pauseIf("before-save");
            return super.saveAndRelease(lease, token);
        }

        private void pauseIf(String moment) {
            if (moment.equals(pauseAt)) {
                System.out.println("PAUSED");
                while (true) {
                    try {
                        Thread.sleep(60_000); // until SIGKILL
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.WARN);
        TellingStore store = new TellingStore(TestDatabases.fromArgument(args[0]), args[4]);
        store.setTableName(args[1]);
        TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
        provider.setTokenUrl(args[2]);
        provider.setInsecureHttp(true);
        provider.setClientId(ReplicaRotationIT.CLIENT_ID);
        provider.setClientSecret(args[3]);
        provider.setStore(store);
        provider.setConnectTimeout(1_000);
        provider.setResponseTimeout(20_000);

        DefaultCamelContext context = new DefaultCamelContext();
        context.addComponent("tokenrefresh", new TokenRefreshComponent());
        context.getRegistry().bind("p", provider);
        context.start();
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"GO".equals(in.readLine())) {
            context.stop();
            return;
        }
        String outcome = "ok";
        try {
            context.createProducerTemplate().requestBody("tokenrefresh:p?operation=refresh", "");
        } catch (CamelExecutionException e) {
            outcome = e.getCause() instanceof TokenRefreshException t ? t.getErrorType() : String.valueOf(e.getCause());
        }
        System.out.println("DONE " + outcome);
        context.stop();
    }
}
