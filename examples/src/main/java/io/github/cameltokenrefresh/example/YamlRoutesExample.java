package io.github.cameltokenrefresh.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the YAML routes of {@code examples/yaml/} the way Camel K and Camel JBang run routes: Camel Main, the route files
 * loaded from a directory ({@code camel.main.routes-include-pattern=file:...}), the configuration from the
 * {@code application.properties} next to them, no Java of ours in the routes.
 * <p>
 * This launcher does what the Camel K operator (or {@code camel run}) would do: it sets the routes include pattern and
 * the properties file. And it stands in for the three providers: one local strict token + API server per documented
 * dialect (Newsletter2Go, AWeber, the partner API), each refusing any token call that is not exactly in its wire format,
 * with the properties pointed at them.
 * <p>
 * It exits non-zero unless every route's API calls carried a valid Bearer token and every token call was accepted.
 */
public final class YamlRoutesExample {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.example.yaml");

    private YamlRoutesExample() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("example.yamlDir", "examples/yaml")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("application.properties"))) {
            throw new IllegalStateException(dir + " has no application.properties: set -Dexample.yamlDir to the YAML "
                                            + "route directory (examples/yaml)");
        }
        Map<String, StrictTokenServer> servers = new LinkedHashMap<>();
        try {
            servers.put("newsletter2go", StrictTokenServer.start(Dialect.NEWSLETTER2GO)
                    .authKey(Base64.getEncoder().encodeToString(("demo-auth-key-" + UUID.randomUUID()).getBytes())));
            servers.put("aweber", StrictTokenServer.start(Dialect.AWEBER)
                    .clientCredentials("demo-client", "demo-secret-" + UUID.randomUUID())
                    .rotateRefreshTokens(true));
            servers.put("partner", StrictTokenServer.start(Dialect.PARTNER).partnerId(42));

            Main main = new Main();
            // the configuration next to the routes, not the classpath application.properties of the other example
            main.setDefaultPropertyPlaceholderLocation("file:" + dir.resolve("application.properties"));
            // the route files, and the 401 route configuration the component's jar ships: as absolute paths, since
            // application.properties names them relative to its own directory (for camel run) and this runs elsewhere
            main.addOverrideProperty("camel.main.routes-include-pattern",
                                    "classpath:tokenrefresh/unauthorized-route-configuration.yaml,file:" + dir + "/*.yaml");
            main.addMainListener(new LocalServers(servers));
            int exitCode = main.run(args);

            List<String> failures = check(servers, main);
            if (exitCode != 0) {
                failures.add("Camel stopped with exit code " + exitCode);
            }
            if (!failures.isEmpty()) {
                failures.forEach(f -> LOG.error("{}", f));
                throw new TokenRefreshExample.ExampleFailedException("YAML routes: " + String.join("; ", failures));
            }
            LOG.info("Result: OK, every YAML route called its API with a valid token");
        } finally {
            servers.values().forEach(StrictTokenServer::close); // their threads would keep exec:java alive
        }
    }

    /** Each dialect: the planned number of API calls, all with a valid token, and no token call refused. */
    private static List<String> check(Map<String, StrictTokenServer> servers, Main main) {
        int planned = Integer.parseInt(main.getCamelContext().getPropertiesComponent()
                                               .resolveProperty("example.calls").orElse("0"));
        List<String> failures = new ArrayList<>();
        LOG.info("---------------------------------------------------------------- summary");
        servers.forEach((provider, s) -> {
            int good = s.resourceCalls() - s.unauthorizedResourceCalls();
            LOG.info("{}: {} API calls with a valid Bearer token ({} without), {} token calls ({} refused)", provider,
                     good, s.unauthorizedResourceCalls(), s.tokenCalls(), s.rejections().size());
            // reasons name the wire-format problem only, never a token or secret
            s.rejections().forEach(reason -> failures.add(provider + ": token call refused: " + reason));
            if (good != planned || s.unauthorizedResourceCalls() > 0) {
                failures.add(provider + ": " + good + " of " + planned + " API calls carried a valid token");
            }
        });
        return failures;
    }

    /** Before Camel reads the configuration: points each provider's properties at its local server. */
    private static final class LocalServers extends MainListenerSupport {

        private final Map<String, StrictTokenServer> servers;

        LocalServers(Map<String, StrictTokenServer> servers) {
            this.servers = servers;
        }

        @Override
        public void beforeConfigure(BaseMainSupport main) {
            PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
            String store = properties.resolveProperty("example.buildDirectory").orElse("target")
                           + "/tokenrefresh-store-yaml";
            override(properties, "example.localServer", "true");
            override(properties, "example.storeDirectory", store);
            servers.forEach((provider, s) -> {
                override(properties, provider + ".token-url", s.tokenUrl());
                override(properties, provider + ".api-url", s.resourceUrl());
                // made up here, known only to this process and its local servers
                override(properties, provider + ".refresh-token", s.issueRefreshToken());
                // the local servers know no token from an earlier run
                FileTokenStore localStore = new FileTokenStore(Path.of(store));
                localStore.accounts(provider).forEach(account -> localStore.delete(provider, account));
                LOG.info("Local {} server at {} ({} dialect)", provider, s.baseUrl(), s.dialect());
            });
            StrictTokenServer n2g = servers.get("newsletter2go");
            override(properties, "newsletter2go.auth-key", n2g.authKey());
            StrictTokenServer aweber = servers.get("aweber");
            override(properties, "aweber.client-id", aweber.clientId());
            override(properties, "aweber.client-secret", aweber.clientSecret());
            override(properties, "partner.id", String.valueOf(servers.get("partner").partnerId()));
        }

        /** Override properties beat application.properties, but not -D system properties or environment variables. */
        private static void override(PropertiesComponent properties, String key, String value) {
            properties.addOverrideProperty(key, value);
            if (!value.equals(properties.resolveProperty(key).orElse(null))) {
                throw new IllegalStateException(key + " is set as a system property or environment variable; the YAML "
                                                + "route example sets it itself for its local servers: unset it");
            }
        }
    }
}
