package io.github.cameltokenrefresh.example;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.github.cameltokenrefresh.route.TokenDecoration;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unless {@code example.localServer=false}: starts a local AWeber-style token + resource server on 127.0.0.1 (the
 * component's strict test server: it rejects any token call that is not exactly in AWeber's wire format) before Camel
 * reads the configuration, and points the provider at it: it overrides {@code aweber.tokenUrl},
 * {@code example.resourceUrl}, {@code example.storeDirectory} and the schedule ({@code example.refreshInterval},
 * {@code example.refreshWindow}), and makes up {@code aweber.clientId}, {@code aweber.clientSecret} and
 * {@code aweber.refreshToken} when they are not configured. Once per run, at call {@code example.local.revokeAtCall},
 * it revokes the access token that call carries, as a provider does after a password change.
 */
final class LocalProviderServer extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.example");

    private final String provider;
    private volatile StrictTokenServer server;
    private volatile int revokeAtCall;

    LocalProviderServer(String provider) {
        this.provider = provider;
    }

    /** The running (or stopped) local server, or null when the example calls a real provider. */
    StrictTokenServer server() {
        return server;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        if (!Boolean.parseBoolean(properties.resolveProperty("example.localServer").orElse("true"))) {
            LOG.info("example.localServer=false: calling the provider configured in application.properties");
            requireCredentials(properties);
            return;
        }
        long expiresIn = Long.parseLong(properties.resolveProperty("example.local.expiresIn").orElse("20"));

        // The local server accepts the configured credentials, or made-up ones when none are configured. Either way
        // they go no further than this process.
        String clientId = resolveOrAdd(properties, provider + ".clientId", "demo-client");
        String clientSecret = resolveOrAdd(properties, provider + ".clientSecret", "demo-secret-" + UUID.randomUUID());
        StrictTokenServer s = StrictTokenServer.start(Dialect.AWEBER)
                .clientCredentials(clientId, clientSecret)
                .expiresIn(expiresIn)
                .rotateRefreshTokens(true); // like AWeber: every refresh answers a new refresh token
        server = s;
        try {
            useLocalServer(properties, s, expiresIn);
        } catch (RuntimeException e) {
            close(); // its dispatcher thread would keep the JVM (and exec:java) alive
            throw e;
        }
    }

    private void useLocalServer(PropertiesComponent properties, StrictTokenServer s, long expiresIn) {
        String refreshToken = properties.resolveProperty(provider + ".refreshToken").orElse(null);
        if (refreshToken == null) {
            properties.addInitialProperty(provider + ".refreshToken", s.issueRefreshToken());
        } else {
            s.addRefreshToken(refreshToken);
        }

        // Where the provider is, and where its tokens are kept. The local server is new on every run and knows no
        // token from an earlier one, so its tokens are kept apart from a real provider's and the previous run's
        // records are removed.
        String storeDirectory = properties.resolveProperty("example.localStoreDirectory")
                .orElse("target/tokenrefresh-store-local");
        override(properties, provider + ".tokenUrl", s.tokenUrl());
        override(properties, "example.resourceUrl", s.resourceUrl());
        override(properties, "example.storeDirectory", storeDirectory);
        FileTokenStore localStore = new FileTokenStore(Path.of(storeDirectory));
        localStore.accounts(provider).forEach(account -> localStore.delete(provider, account));
        // the schedule, scaled to the local tokens' lifetime
        override(properties, "example.refreshInterval", properties.resolveProperty("example.local.refreshInterval")
                .orElse("4s"));
        override(properties, "example.refreshWindow", properties.resolveProperty("example.local.refreshWindow")
                .orElse("10s"));
        revokeAtCall = Integer.parseInt(properties.resolveProperty("example.local.revokeAtCall").orElse("0"));

        LOG.info("Local AWeber-style provider started at {} (token endpoint {}, API {}): access tokens live {} s, "
                 + "the refresh token rotates on every refresh", s.baseUrl(), s.tokenPath(),
                 StrictTokenServer.RESOURCE_PATH, expiresIn);
    }

    /**
     * The route's step between tokenrefresh and the API call: at call {@code example.local.revokeAtCall}, the local
     * provider revokes the access token this call carries, so the API answers 401. The token is read from the message
     * and handed to the server in memory; it is never logged.
     */
    void revokeIfDue(Exchange exchange) {
        StrictTokenServer s = server;
        Integer call = exchange.getProperty(CallLog.CALL_NUMBER, Integer.class);
        TokenDecoration decoration = TokenDecoration.of(exchange);
        if (s == null || call == null || call != revokeAtCall || decoration == null
            || exchange.getProperty("exampleRevoked") != null) {
            return;
        }
        exchange.setProperty("exampleRevoked", true); // once, whatever happens to this exchange
        s.revokeAccessToken(decoration.accessTokenOn(exchange.getMessage()));
        LOG.info("#{} the provider revokes the access token this call carries (as after a password change), long "
                 + "before it expires: the API will answer 401", call);
    }

    /** With a real provider: say which credentials are missing, and how to give them, before Camel fails on them. */
    private void requireCredentials(PropertiesComponent properties) {
        List<String> missing = new ArrayList<>();
        for (String key : new String[] { provider + ".clientId", provider + ".clientSecret" }) {
            if (properties.resolveProperty(key).isEmpty()) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            String env = provider.toUpperCase(Locale.ROOT);
            throw new IllegalStateException("example.localServer=false needs " + missing + ": set them as environment "
                                            + "variables (" + env + "_CLIENT_ID, " + env + "_CLIENT_SECRET) or -D system "
                                            + "properties, together with " + provider + ".refreshToken on the first run");
        }
    }

    private static String resolveOrAdd(PropertiesComponent properties, String key, String fallback) {
        return properties.resolveProperty(key).orElseGet(() -> {
            properties.addInitialProperty(key, fallback);
            return fallback;
        });
    }

    /** Override properties win over application.properties, but not over -D system properties or environment. */
    private static void override(PropertiesComponent properties, String key, String value) {
        properties.addOverrideProperty(key, value);
        if (!value.equals(properties.resolveProperty(key).orElse(null))) {
            throw new IllegalStateException(key + " is set as a system property or environment variable, but with "
                                            + "example.localServer=true the example sets it itself: remove it, or "
                                            + "run with -Dexample.localServer=false");
        }
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        close();
    }

    /** Stops the local server, if one runs; may be called more than once. */
    void close() {
        StrictTokenServer s = server;
        if (s != null) {
            s.close();
        }
    }
}
