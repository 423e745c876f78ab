package io.github.cameltokenrefresh.store;

import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One replica for {@link ReplicaRotationTest}, in a JVM of its own: a Camel context whose provider shares the JDBC
 * store, forcing refreshes as fast as it can. Prints what each attempt came to, and exits 0 unless it could not run.
 * Arguments: database (an H2 URL or a TestDatabases name), table, token URL, client secret, refreshes.
 */
public final class ReplicaRefreshMain {

    private ReplicaRefreshMain() {
    }

    public static void main(String[] args) throws Exception {
        DataSource ds = TestDatabases.fromArgument(args[0]);
        JdbcTokenStore store = new JdbcTokenStore(ds);
        store.setTableName(args[1]);
        TokenRefreshConfiguration provider = new TokenRefreshConfiguration();
        provider.setTokenUrl(args[2]);
        provider.setInsecureHttp(true);
        provider.setClientId(ReplicaRotationTest.CLIENT_ID);
        provider.setClientSecret(args[3]);
        provider.setStore(store);
        int refreshes = Integer.parseInt(args[4]);

        DefaultCamelContext context = new DefaultCamelContext();
        context.addComponent("tokenrefresh", new TokenRefreshComponent());
        context.getRegistry().bind("rot", provider);
        context.start();
        Map<String, Integer> outcomes = new TreeMap<>();
        try {
            ProducerTemplate template = context.createProducerTemplate();
            for (int i = 0; i < refreshes; i++) {
                String outcome = "ok";
                try {
                    template.requestBody("tokenrefresh:rot?operation=refresh", "");
                } catch (CamelExecutionException e) {
                    outcome = e.getCause() instanceof TokenRefreshException t ? t.getErrorType()
                            : String.valueOf(e.getCause());
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
        } finally {
            context.stop();
        }
        System.out.println("OUTCOMES " + outcomes);
    }
}
