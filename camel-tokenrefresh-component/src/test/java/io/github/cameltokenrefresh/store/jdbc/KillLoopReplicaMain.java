package io.github.cameltokenrefresh.store.jdbc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * One replica of {@link ReplicaKillLoopIT}, in a JVM the test SIGKILLs and starts again: a Camel context with one
 * provider per token server ({@code p0}, {@code p1}, ..., account {@code default}) sharing the JDBC store behind a
 * pool, and for each account a caller that serves an API call every 100 ms: the account's token, then the resource
 * server with it. Arguments: database (an H2 URL or a TestDatabases name), table, client secret, then a token URL and
 * a resource URL per account.
 * <p>
 * Prints, flushed line by line and never a token:
 * <pre>
 * READY                                                  the context started
 * CALL provider outcome epochMillis                      one API call: ok (the resource answered 200), the error
 *                                                        type of a failed token, or http-STATUS
 * TAKEOVER provider fence acquiredAt polling spent       a lease taken over unreleased (its holder died): when, by the
 *                                                        database clock; whether this replica was polling for it
 *                                                        (a refused attempt within the last 500 ms)
 * </pre>
 */
public final class KillLoopReplicaMain {

    /** Between one API call of an account and its next: the replica's load. */
    private static final long CALL_PERIOD_MILLIS = 100;

    private KillLoopReplicaMain() {
    }

    /** Reports each lease taken over from a dead holder, and whether this replica was waiting for it. */
    static final class TakeoverReportingStore extends JdbcTokenStore {
        private final Map<String, Long> lastRefusedAt = new ConcurrentHashMap<>();

        TakeoverReportingStore(DataSource ds) {
            super(ds);
        }

        @Override
        public RefreshLease acquire(String provider, String account, String owner, Duration hold, Duration grace) {
            RefreshLease lease = super.acquire(provider, account, owner, hold, grace);
            long now = System.currentTimeMillis();
            if (lease == null) {
                lastRefusedAt.put(provider, now);
                return null;
            }
            Long refused = lastRefusedAt.remove(provider);
            if (lease.interrupted()) {
                boolean polling = refused != null && now - refused <= 500;
                print("TAKEOVER " + provider + " " + lease.fence() + " " + lease.acquiredAt().toEpochMilli() + " "
                      + polling + " " + lease.spent());
            }
            return lease;
        }
    }

    static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.WARN);
        int accounts = (args.length - 3) / 2;
        DataSource ds = TestDatabases.pooled(TestDatabases.fromArgument(args[0]), accounts + 2);
        TakeoverReportingStore store = new TakeoverReportingStore(ds);
        store.setTableName(args[1]);

        DefaultCamelContext context = new DefaultCamelContext();
        TokenRefreshComponent component = new TokenRefreshComponent();
        context.addComponent("tokenrefresh", component);
        for (int i = 0; i < accounts; i++) {
            TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
            provider.setTokenUrl(args[3 + 2 * i]);
            provider.setInsecureHttp(true);
            provider.setClientId(ReplicaRotationIT.CLIENT_ID);
            provider.setClientSecret(args[2]);
            provider.setStore(store);
            context.getRegistry().bind("p" + i, provider);
        }
        context.start();
        print("READY");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            String provider = "p" + i;
            URI resource = URI.create(args[4 + 2 * i]);
            AccountTokens tokens = component.tokens(provider).account("default");
            Thread caller = new Thread(() -> {
                while (true) {
                    print("CALL " + provider + " " + call(tokens, http, resource) + " " + System.currentTimeMillis());
                    try {
                        Thread.sleep(CALL_PERIOD_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "caller-" + provider);
            caller.start();
            callers.add(caller);
        }
        for (Thread caller : callers) {
            caller.join(); // until SIGKILL, or SIGTERM at the end of the run
        }
    }

    private static String call(AccountTokens tokens, HttpClient http, URI resource) {
        String accessToken;
        try {
            accessToken = tokens.token().getAccessToken();
        } catch (TokenRefreshException e) {
            return e.getErrorType();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(resource).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + accessToken).GET().build(),
                                                  HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200 ? "ok" : "http-" + answer.statusCode();
        } catch (IOException e) {
            return "http-" + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
