package io.github.cameltokenrefresh.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;

/**
 * The providers of {@code examples/yaml} (newsletter2go, aweber, partner) as local strict token + API servers, and the
 * property overrides that point the example's {@code application.properties} at them: what a test needs to run those
 * routes in another JVM (bare Camel Main, Camel JBang) and judge the run from the servers' side only.
 */
public final class ExampleProviders implements AutoCloseable {

    private final Map<String, StrictTokenServer> servers = new LinkedHashMap<>();

    private ExampleProviders() {
    }

    /** Starts one server per named provider, each with made-up credentials known only to this process. */
    public static ExampleProviders start(String... providers) {
        ExampleProviders started = new ExampleProviders();
        try {
            for (String provider : providers) {
                started.servers.put(provider, server(provider));
            }
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    private static StrictTokenServer server(String provider) {
        return switch (provider) {
            case "newsletter2go" -> StrictTokenServer.start(Dialect.NEWSLETTER2GO)
                    .authKey(Base64.getEncoder().encodeToString(("auth-key-" + UUID.randomUUID()).getBytes()));
            case "aweber" -> StrictTokenServer.start(Dialect.AWEBER)
                    .clientCredentials("client-" + UUID.randomUUID(), "secret-" + UUID.randomUUID())
                    .rotateRefreshTokens(true);
            case "partner" -> StrictTokenServer.start(Dialect.PARTNER).partnerId(42);
            default -> throw new IllegalArgumentException("no example provider " + provider
                                                          + " (newsletter2go, aweber, partner)");
        };
    }

    public Map<String, StrictTokenServer> servers() {
        return servers;
    }

    /**
     * The properties to give the run (as -D system properties or --prop), beating application.properties: each
     * provider's token and API URL, its credentials and a first refresh token, plain http allowed, and a fresh store.
     */
    public Map<String, String> properties(Path storeDirectory) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("example.localServer", "true");
        properties.put("example.storeDirectory", storeDirectory.toAbsolutePath().toString());
        servers.forEach((provider, s) -> {
            properties.put(provider + ".token-url", s.tokenUrl());
            properties.put(provider + ".api-url", s.resourceUrl());
            properties.put(provider + ".refresh-token", s.issueRefreshToken());
            switch (s.dialect()) {
                case NEWSLETTER2GO -> properties.put(provider + ".auth-key", s.authKey());
                case AWEBER -> {
                    properties.put(provider + ".client-id", s.clientId());
                    properties.put(provider + ".client-secret", s.clientSecret());
                }
                case PARTNER -> properties.put(provider + ".id", String.valueOf(s.partnerId()));
                default -> {
                }
            }
        });
        return properties;
    }

    /** True once every provider's API has been called at least once (with a valid token or not). */
    public boolean everyApiCalled() {
        return servers.values().stream().allMatch(s -> s.resourceCalls() > 0);
    }

    /** Each API answers 401 from now on to every access token issued so far, as after a password change. */
    public void revokeIssuedAccessTokens() {
        servers.values().forEach(s -> s.issuedAccessTokens().forEach(s::revokeAccessToken));
    }

    /**
     * What went wrong, per provider, or nothing: every one of the {@code plannedCalls} exchanges made its API call
     * with a valid token (after a renewal where a 401 came), exactly {@code expectedUnauthorized} calls got a 401, and
     * the server refused no token call. Reasons never quote a token or secret.
     */
    public List<String> failures(int plannedCalls, int expectedUnauthorized) {
        List<String> failures = new ArrayList<>();
        servers.forEach((provider, s) -> {
            int good = s.resourceCalls() - s.unauthorizedResourceCalls();
            s.rejections().forEach(reason -> failures.add(provider + ": token call refused: " + reason));
            if (good != plannedCalls) {
                failures.add(provider + ": " + good + " of " + plannedCalls + " API calls carried a valid token");
            }
            if (s.unauthorizedResourceCalls() != expectedUnauthorized) {
                failures.add(provider + ": " + s.unauthorizedResourceCalls() + " API calls got 401, expected "
                             + expectedUnauthorized);
            }
        });
        return failures;
    }

    /** Every secret and token in play: none of them may appear in the run's output. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        servers.values().forEach(s -> {
            secrets.addAll(s.issuedAccessTokens());
            secrets.addAll(s.issuedRefreshTokens());
            if (s.dialect() == Dialect.AWEBER) {
                secrets.add(s.clientSecret());
            }
            if (s.dialect() == Dialect.NEWSLETTER2GO) {
                secrets.add(s.authKey());
            }
        });
        return secrets;
    }

    @Override
    public void close() {
        servers.values().forEach(StrictTokenServer::close);
    }
}
