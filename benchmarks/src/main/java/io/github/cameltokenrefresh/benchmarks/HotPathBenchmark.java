package io.github.cameltokenrefresh.benchmarks;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path: decorating an exchange with a valid (fresh) token, against setting a constant Authorization header,
 * the physical floor of this work. Three depths, each as a pair:
 * <ul>
 * <li>{@code isolated_*}: the processor alone on one reused exchange: only the decoration's own cost;</li>
 * <li>{@code freshExchange_*}: a new exchange per operation, as every real message has;</li>
 * <li>{@code route_*}: ProducerTemplate.send to a direct route holding the step, Camel's routing included;
 * {@code route_constantProducer} is a {@code to()} step whose producer sets the same constant header: what any
 * component's producer step costs in Camel before doing anything, to tell Camel's share of the gap from ours.</li>
 * </ul>
 * The token comes from a real refresh against the StrictTokenServer at setup and stays fresh for the whole run
 * (1 h lifetime, refresh-ahead from 55 min), so no operation touches the network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-Dlog4j2.configurationFile=log4j2-benchmarks.xml",
                                   "-Dsun.net.httpserver.nodelay=true" })
public class HotPathBenchmark {

    static final String HEADER = "Authorization";

    private StrictTokenServer server;
    private Path storeDir;
    private DefaultCamelContext context;
    private ProducerTemplate template;
    private Endpoint routeConstant;
    private Endpoint routeTokenRefresh;
    private Endpoint routeConstantProducer;
    private Endpoint routeConstantAgain;

    /** With -Dbench.hotpath.store=h2|postgresql|mariadb: the JDBC store's database, and its counted connections. */
    private BenchDatabases.Database jdbc;
    private CountingDataSource jdbcConnections;
    private long connectionsAtSetup;

    /** The producer of a tokenrefresh endpoint, called directly. */
    Processor tokenRefresh;
    /** The floor: what `.setHeader("Authorization", constant(...))` boils down to, minus expression evaluation. */
    Processor constantHeader;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = Fixtures.oauth2Server("rt-0");
        storeDir = Fixtures.tempDir("bench-hotpath");
        context = Fixtures.context(storeDir);
        String database = System.getProperty("bench.hotpath.store");
        if (database != null) {
            jdbc = BenchDatabases.open(database, 4);
            if (jdbc == null) {
                throw new IllegalStateException("bench.hotpath.store=" + database + ": database not reachable");
            }
            jdbcConnections = jdbc.firstPool();
            context.getComponent("tokenrefresh", io.github.cameltokenrefresh.TokenRefreshComponent.class)
                    .getConfiguration().setStore(jdbc.store(jdbcConnections, "bench-hotpath"));
        }
        String uri = Fixtures.provider("hot", server, "rt-0", null);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:tokenrefresh").to(uri);
            }
        });
        context.start();
        template = context.createProducerTemplate();
        Producer producer = context.getEndpoint(uri).createProducer();
        ServiceHelper.startService(producer);
        tokenRefresh = producer;

        // the constant is a real token, so both variants put the same string on the message
        Exchange primed = template.request("direct:tokenrefresh", e -> {
        });
        if (primed.getException() != null) {
            throw primed.getException();
        }
        String value = primed.getMessage().getHeader(HEADER, String.class);
        constantHeader = exchange -> exchange.getMessage().setHeader(HEADER, value);
        context.addComponent("constant-header", new DefaultComponent() {
            @Override
            protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
                return new ConstantHeaderEndpoint(uri, this, value);
            }
        });
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:constant").setHeader(HEADER, constant(value));
                from("direct:constantProducer").to("constant-header:bench");
                from("direct:constantAgain").setHeader(HEADER, constant(value));
            }
        });
        routeConstant = context.getEndpoint("direct:constant");
        routeConstantProducer = context.getEndpoint("direct:constantProducer");
        routeConstantAgain = context.getEndpoint("direct:constantAgain");
        routeTokenRefresh = context.getEndpoint("direct:tokenrefresh");
        if (server.tokenCalls() != 1) {
            throw new IllegalStateException("expected exactly one token call at setup, saw " + server.tokenCalls());
        }
        connectionsAtSetup = connections();
    }

    /** Connections taken from the JDBC store's pool so far (0 without one). */
    long connections() {
        return jdbcConnections == null ? 0 : jdbcConnections.connections();
    }

    /** Connections taken since setUp: the hot path must take none while the token is fresh. */
    long connectionsSinceSetup() {
        return connections() - connectionsAtSetup;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        int calls = server.tokenCalls();
        Fixtures.stopQuietly(context, server, jdbc);
        Fixtures.deleteTree(storeDir);
        if (calls != 1) {
            // a token call inside the measurement would make the figures meaningless
            throw new IllegalStateException("token calls during the benchmark: " + calls);
        }
    }

    /** One exchange per thread, reused by the isolated benchmarks. */
    @State(Scope.Thread)
    public static class Reused {
        Exchange exchange;

        @Setup(Level.Trial)
        public void setUp(HotPathBenchmark bench) {
            exchange = new DefaultExchange(bench.context);
            exchange.getMessage().setBody("payload");
        }
    }

    @Benchmark
    public Object isolated_constantHeader(Reused r) throws Exception {
        constantHeader.process(r.exchange);
        return r.exchange;
    }

    @Benchmark
    public Object isolated_tokenrefresh(Reused r) throws Exception {
        tokenRefresh.process(r.exchange);
        return r.exchange;
    }

    @Benchmark
    public Object freshExchange_constantHeader() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        constantHeader.process(exchange);
        return exchange;
    }

    @Benchmark
    public Object freshExchange_tokenrefresh() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        tokenRefresh.process(exchange);
        return exchange;
    }

    private static final Processor NOTHING = exchange -> {
    };

    @Benchmark
    public Object route_constantHeader() {
        return template.send(routeConstant, NOTHING);
    }

    @Benchmark
    public Object route_tokenrefresh() {
        return template.send(routeTokenRefresh, NOTHING);
    }

    @Benchmark
    public Object route_constantProducer() {
        return template.send(routeConstantProducer, NOTHING);
    }

    /** A second, identical constant-header route: an A/A control for comparisons outside JMH. */
    public Object routeConstantAgain() {
        return template.send(routeConstantAgain, NOTHING);
    }

    /** An endpoint whose producer sets one constant header and does nothing else. */
    static final class ConstantHeaderEndpoint extends DefaultEndpoint {
        private final String value;

        ConstantHeaderEndpoint(String uri, Component component, String value) {
            super(uri, component);
            this.value = value;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) {
                    exchange.getMessage().setHeader(HEADER, value);
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("producer only");
        }
    }
}
