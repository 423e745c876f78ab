package io.github.cameltokenrefresh.store.jdbc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * One replica for {@link ReplicaRotationIT} and {@link ReplicaInvalidGrantStormIT}, in a JVM of its own: a Camel
 * context with one provider per token URL (providers {@code p0}, {@code p1}, ..., account {@code default}), all
 * sharing the JDBC store behind a connection pool, each forcing refreshes as fast as it can on a thread of its own. Several accounts at once
 * keep the cycles cheap: while one account's lease is busy, the others rotate.
 * <p>
 * Arguments: database (an H2 URL or a TestDatabases name), table, client secret, refreshes per provider (0: until
 * standard input closes), token URLs. Prints {@code READY} once started and {@code OUTCOMES {...}} at the end (what
 * the attempts came to, never a token); exits 0 unless it could not run.
 */
public final class ReplicaRefreshMain {

    private ReplicaRefreshMain() {
    }

    public static void main(String[] args) throws Exception {
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.WARN); // a refreshed line per cycle costs CPU
        List<String> tokenUrls = List.of(args).subList(4, args.length);
        DataSource ds = TestDatabases.pooled(TestDatabases.fromArgument(args[0]), tokenUrls.size() + 1);
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(args[1]);
        String secret = args[2];
        int refreshes = Integer.parseInt(args[3]);

        DefaultCamelContext context = new DefaultCamelContext();
        context.addComponent("tokenrefresh", new TokenRefreshComponent());
        for (int i = 0; i < tokenUrls.size(); i++) {
            TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
            provider.setTokenUrl(tokenUrls.get(i));
            provider.setInsecureHttp(true);
            provider.setClientId(ReplicaRotationIT.CLIENT_ID);
            provider.setClientSecret(secret);
            provider.setStore(store);
            context.getRegistry().bind("p" + i, provider);
        }
        context.start();
        System.out.println("READY");
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger stop = new AtomicInteger();
        if (refreshes == 0) {
            Thread stdin = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // the test closes it to stop us
                    }
                } catch (IOException e) {
                    // closed
                }
                stop.set(1);
            });
            stdin.setDaemon(true);
            stdin.start();
        }
        ProducerTemplate template = context.createProducerTemplate();
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < tokenUrls.size(); i++) {
            String uri = "tokenrefresh:p" + i + "?operation=refresh";
            Thread loop = new Thread(() -> {
                for (int n = 0; refreshes == 0 ? stop.get() == 0 : n < refreshes; n++) {
                    String outcome = "ok";
                    try {
                        template.requestBody(uri, "");
                    } catch (CamelExecutionException e) {
                        outcome = e.getCause() instanceof TokenRefreshException t ? t.getErrorType()
                                : String.valueOf(e.getCause());
                    }
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                }
            }, "refresh-p" + i);
            loop.start();
            loops.add(loop);
        }
        for (Thread loop : loops) {
            loop.join();
        }
        context.stop();
        Map<String, Integer> sorted = new TreeMap<>();
        outcomes.forEach((k, v) -> sorted.put(k, v.get()));
        System.out.println("OUTCOMES " + sorted);
    }
}
