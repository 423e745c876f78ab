package io.github.cameltokenrefresh;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One replica for {@link ClusteredScheduleIT}, in a JVM of its own: a provider whose refresh schedule runs under
 * refreshClusterNamespace, with Camel's file-lock cluster service over a directory the replicas share. Prints
 * {@code STARTED <name>} once up and {@code PASS-REFRESHED <name>} for every account a pass of this JVM refreshed;
 * runs until killed (at most five minutes). Arguments: token URL, client secret, cluster directory, replica name.
 */
public final class ClusteredScheduleMain {

    private ClusteredScheduleMain() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[3];
        MemoryTokenStore store = new MemoryTokenStore();
        store.save("p", "default", Token.ofRefreshToken("rt-0", Instant.now()), 0);
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setRoot(args[2]);
        cluster.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(500, TimeUnit.MILLISECONDS);

        DefaultCamelContext context = new DefaultCamelContext();
        TokenRefreshComponent component = new TokenRefreshComponent();
        component.getConfiguration().setInsecureHttp(true);
        context.addComponent("tokenrefresh", component);
        context.addService(cluster);
        context.getRegistry().bind("accounts", store);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // every pass refreshes the account: its one-hour token always expires within the two-hour window
                from("tokenrefresh:p?tokenUrl=" + args[0] + "&clientId=c&clientSecret=" + args[1]
                     + "&store=#accounts&refreshInterval=500&refreshWindow=2h&refreshClusterNamespace=tokens"
                     + "&events=refreshed")
                        .process(exchange -> System.out.println("PASS-REFRESHED " + name));
            }
        });
        context.start();
        System.out.println("STARTED " + name);
        new CountDownLatch(1).await(5, TimeUnit.MINUTES);
        context.stop();
    }
}
