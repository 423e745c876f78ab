package io.github.cameltokenrefresh.example;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.cameltokenrefresh.TokenRefreshConstants;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operations team sees, captured just before the example stops: Camel's health endpoint and the
 * {@code tokenrefresh} dev console, both over HTTP from the management server the example runs
 * ({@code camel.management.*}), the provider's JMX MBean, and the Micrometer meters. None of them shows a token or a
 * secret. docs/operations.md quotes this output.
 */
final class OperationsReport extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.example.operations");

    private final String provider;
    private final LocalProviderServer local;

    OperationsReport(String provider, LocalProviderServer local) {
        this.provider = provider;
        this.local = local;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        // example.managementPort=0 (the default): a free local port, so the example never collides with another server
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        if ("0".equals(properties.resolveProperty("example.managementPort").orElse("0"))) {
            properties.addOverrideProperty("example.managementPort", String.valueOf(freePort()));
        }
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        if (enabled(main.getCamelContext())) {
            LOG.info("Health and dev consoles: {}/health and {} (camel.management.*)", baseUrl(main.getCamelContext())
                                                                                       + "/observe",
                     baseUrl(main.getCamelContext()) + "/q/dev/tokenrefresh");
        }
    }

    @Override
    public void beforeStop(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        LOG.info("---------------------------------------------------------------- what operations see");
        deadAccountIfAsked(context);
        if (enabled(context)) {
            String base = baseUrl(context);
            // the overall status, then the readiness checks with their details (tokenrefresh's check is readiness)
            get(base + "/observe/health", "application/json");
            get(base + "/observe/health/ready?data=true", "application/json");
            get(base + "/q/dev/tokenrefresh", "text/plain");
            get(base + "/q/dev/tokenrefresh", "application/json");
        } else {
            LOG.info("camel.management.enabled=false: no health endpoint or dev console over HTTP");
        }
        jmx();
        meters(context);
    }

    private static boolean enabled(CamelContext context) {
        return Boolean.parseBoolean(context.getPropertiesComponent().resolveProperty("camel.management.enabled")
                                            .orElse("false"));
    }

    private static String baseUrl(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        String host = properties.resolveProperty("camel.management.host").orElse("127.0.0.1");
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":"
               + properties.resolveProperty("camel.management.port").orElseThrow();
    }

    /** An HTTP GET on the example's own management server; the answer is logged as it came. */
    private static void get(String url, String accept) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).header("Accept", accept).GET().build(),
                                                          HttpResponse.BodyHandlers.ofString());
            String body = response.body().strip();
            if (url.contains("data=true")) {
                body = onlyTokenRefreshChecks(body);
            }
            if (body.startsWith("{")) {
                body = Jsoner.prettyPrint(body, 2);
            }
            LOG.info("GET {} (Accept: {}) -> HTTP {}\n{}", url, accept, response.statusCode(), body);
        } catch (IOException e) {
            LOG.warn("GET {} failed: {}", url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The health answer with only the tokenrefresh checks, so the log stays readable; the status is unchanged. */
    private static String onlyTokenRefreshChecks(String json) {
        try {
            JsonObject health = (JsonObject) Jsoner.deserialize(json);
            JsonArray checks = health.getCollection("checks");
            if (checks != null) {
                checks.removeIf(c -> !String.valueOf(((JsonObject) c).get("name")).startsWith("tokenrefresh"));
            }
            return health.toJson();
        } catch (Exception e) {
            return json;
        }
    }

    /**
     * {@code -Dexample.local.deadAccount=customer-2} (local provider only): before the views are captured, a second
     * account is given a refresh token that the provider has revoked, so the views show an account after
     * {@code invalid_grant}: readiness DOWN, the error type, the INVALID_GRANT event. The example's own calls are not
     * affected.
     */
    private void deadAccountIfAsked(CamelContext context) {
        String account = context.getPropertiesComponent().resolveProperty("example.local.deadAccount").orElse("");
        StrictTokenServer server = local.server();
        if (account.isBlank() || server == null) {
            return;
        }
        String revoked = server.issueRefreshToken();
        server.revokeRefreshToken(revoked);
        LOG.info("Account '{}': supplied a refresh token the provider has revoked (example.local.deadAccount)", account);
        try {
            context.createFluentProducerTemplate().to("tokenrefresh:" + provider + "?operation=refresh&account=" + account)
                    .withHeader(TokenRefreshConstants.REFRESH_TOKEN, revoked).request();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.info("Account '{}': {}", account, cause.getMessage());
        }
        try {
            Thread.sleep(500); // the event route logs the INVALID_GRANT event on its own thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The provider MBeans' attributes, and one account's status through an MBean operation. */
    private static void jmx() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:type=tokenrefresh,*"), null);
            if (names.isEmpty()) {
                LOG.info("JMX: no tokenrefresh MBean (is camel-management on the classpath and JMX enabled?)");
            }
            for (ObjectName name : names) {
                StringBuilder sb = new StringBuilder();
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    sb.append(String.format("    %-16s = %s%n", attribute.getName(),
                                            server.getAttribute(name, attribute.getName())));
                }
                Object status = server.invoke(name, "accountStatus", new Object[] { "default" },
                                              new String[] { String.class.getName() });
                sb.append("    accountStatus(\"default\") = ").append(status);
                LOG.info("JMX {}\n{}", name, sb);
            }
        } catch (Exception e) {
            LOG.warn("JMX: {}", e.toString());
        }
    }

    /** The tokenrefresh.* meters of the MeterRegistry the example registered (camel.beans.meterRegistry). */
    private static void meters(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            LOG.info("Micrometer: no MeterRegistry in the registry, no tokenrefresh meters");
            return;
        }
        String lines = registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("tokenrefresh"))
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags().toString()))
                .map(OperationsReport::describe)
                .collect(Collectors.joining("\n"));
        LOG.info("Micrometer meters\n{}", lines);
    }

    private static String describe(Meter meter) {
        String tags = meter.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(",", "{", "}"));
        String values = java.util.stream.StreamSupport.stream(meter.measure().spliterator(), false)
                .map(m -> m.getStatistic().name().toLowerCase(java.util.Locale.ROOT) + "=" + format(m.getValue()))
                .collect(Collectors.joining(" "));
        return "    " + meter.getId().getName() + tags + " " + values;
    }

    private static String format(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value)
                : String.format(java.util.Locale.ROOT, "%.3f", value);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port for the management server", e);
        }
    }
}
