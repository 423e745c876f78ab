package io.github.cameltokenrefresh.example.replicas;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * One replica, in a JVM of its own: Camel Main configured by {@code replicas/replica.properties}, calling the API
 * every 100 ms with a token of the shared provider. Prints how many calls the API accepted when it stops.
 */
public final class ReplicaMain {

    private ReplicaMain() {
    }

    public static void main(String[] args) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:replicas/replica.properties");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:api?period=100").routeId("api-call")
                        .to("tokenrefresh:crm")
                        .to("{{replica.api-url}}?throwExceptionOnFailure=false")
                        .removeHeader("Authorization")
                        .process(exchange -> {
                            calls.incrementAndGet();
                            if (exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) == 200) {
                                accepted.incrementAndGet();
                            }
                        });
            }
        });
        int exitCode = main.run(args);
        System.out.println("REPLICA " + System.getProperty("replica.name") + " calls=" + calls + " accepted=" + accepted
                           + " exit=" + exitCode);
        System.exit(exitCode);
    }
}
