package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.testing.LogCapture;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.ProviderTokens;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full refreshes and every failure path with every logger at TRACE, Apache HttpClient's header and wire loggers
 * included: the captured output, the exceptions and every toString() contain no token and no secret.
 */
class SecretsNotLoggedIT {

    private static final String CLIENT_SECRET = "CLIENT-SECRET-b1f2";
    private static final String AUTH_KEY = Base64.getEncoder().encodeToString("n2g-key:AUTHKEY-SECRET-77".getBytes());
    private static final String BOOTSTRAP = "RT-BOOTSTRAP-9c1e";

    @TempDir
    Path storeDir;

    private final List<StrictTokenServer> servers = new ArrayList<>();
    private final List<Object> seen = new ArrayList<>();
    private DefaultCamelContext context;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
        servers.forEach(StrictTokenServer::close);
    }

    private StrictTokenServer server(Dialect dialect) {
        StrictTokenServer server = StrictTokenServer.start(dialect).clientCredentials("client-id", CLIENT_SECRET)
                .authKey(AUTH_KEY).addRefreshToken(BOOTSTRAP);
        servers.add(server);
        return server;
    }

    private TokenRefreshConfiguration provider(StrictTokenServer server, String preset) {
        TokenRefreshConfiguration config = new TokenRefreshConfiguration();
        if (preset != null) {
            config.setPreset(preset);
        }
        config.setTokenUrl(server.tokenUrl());
        config.setInsecureHttp(true);
        config.setStoreDirectory(storeDir.toString());
        config.setClientId("client-id");
        config.setClientSecret(CLIENT_SECRET);
        config.setRefreshToken(BOOTSTRAP);
        return config;
    }

    private void call(ProducerTemplate template, String uri) {
        Exchange result = template.request(uri, e -> {
        });
        seen.add(result.getException());
    }

    @Test
    void noSecretReachesAnyLogAtTrace() throws Exception {
        StrictTokenServer oauth2 = server(Dialect.OAUTH2);
        StrictTokenServer n2g = server(Dialect.NEWSLETTER2GO);
        StrictTokenServer aweber = server(Dialect.AWEBER);
        StrictTokenServer partner = server(Dialect.PARTNER);
        StrictTokenServer failing = server(Dialect.AWEBER);
        StrictTokenServer badClient = server(Dialect.OAUTH2).clientCredentials("client-id", "another-secret");

        String text;
        try (LogCapture capture = new LogCapture()) {
            // secrets live on provider beans, as docs/security.md recommends: Camel core itself logs endpoint URIs
            // verbatim at TRACE, so a secret written into a URI is out of any component's hands
            context = TestContexts.context(storeDir);
            context.getRegistry().bind("oauth2", provider(oauth2, null));
            TokenRefreshConfiguration n2gConfig = provider(n2g, "newsletter2go");
            n2gConfig.setClientId(null);
            n2gConfig.setClientSecret(null);
            n2gConfig.setAuthKey(AUTH_KEY);
            context.getRegistry().bind("n2g", n2gConfig);
            context.getRegistry().bind("aweber", provider(aweber, "aweber"));
            TokenRefreshConfiguration partnerConfig = provider(partner, null);
            partnerConfig.setEncoding(io.github.cameltokenrefresh.dialect.BodyEncoding.json);
            partnerConfig.setRefreshTokenField("refreshToken");
            partnerConfig.setGrantTypeLocation(io.github.cameltokenrefresh.dialect.GrantTypeLocation.header);
            partnerConfig.setGrantTypeField("grantType");
            partnerConfig.setClientAuthentication(io.github.cameltokenrefresh.dialect.ClientAuthentication.none);
            partnerConfig.setHeaders(Map.of("partnerId", "4711"));
            context.getRegistry().bind("partner", partnerConfig);
            context.getRegistry().bind("failing", provider(failing, "aweber"));
            context.getRegistry().bind("badClient", provider(badClient, null));
            TestContexts.addRoute(context, "direct:oauth2", "tokenrefresh:oauth2");
            TestContexts.addRoute(context, "direct:n2g", "tokenrefresh:n2g");
            TestContexts.addRoute(context, "direct:aweber", "tokenrefresh:aweber?operation=refresh");
            TestContexts.addRoute(context, "direct:partner", "tokenrefresh:partner?operation=token");
            TestContexts.addRoute(context, "direct:failing", "tokenrefresh:failing");
            TestContexts.addRoute(context, "direct:badClient", "tokenrefresh:badClient");
            context.start();
            ProducerTemplate template = context.createProducerTemplate();

            for (String route : List.of("direct:oauth2", "direct:n2g", "direct:aweber", "direct:partner")) {
                call(template, route);
                call(template, route);
            }
            // an echoing error, a server failure, a non-JSON answer, a dead refresh token, a refused client
            failing.failNext(1, 400, "application/json",
                    "{\"error\":\"invalid_grant\",\"error_description\":\"token " + BOOTSTRAP + " is dead\"}", Map.of());
            call(template, "direct:failing");
            call(template, "direct:failing");
            call(template, "direct:badClient");

            TokenRefreshComponent component = TestContexts.component(context);
            for (ProviderTokens provider : component.getProviders().values()) {
                seen.add(provider);
                provider.statuses().forEach(seen::add);
                StoredToken stored = component.store(provider.name()).load(provider.name(), "default");
                Token token = stored == null ? null : stored.token();
                seen.add(token);
            }
            seen.add(component.getConfiguration());
            context.getEndpoints().forEach(seen::add);
            text = capture.text();
        }
        java.nio.file.Files.writeString(Path.of("target/secrets-trace.log"), text);

        List<String> secrets = new ArrayList<>(List.of(CLIENT_SECRET, AUTH_KEY, "AUTHKEY-SECRET-77", BOOTSTRAP));
        for (StrictTokenServer s : servers) {
            secrets.addAll(s.issuedAccessTokens());
            secrets.addAll(s.issuedRefreshTokens());
        }
        secrets.add(Base64.getEncoder().encodeToString(("client-id:" + CLIENT_SECRET).getBytes()));

        assertTrue(text.contains("TRACE") && text.contains("org.apache.hc.client5"),
                   "the capture really ran at TRACE, HttpClient included");
        assertTrue(oauth2.issuedAccessTokens().size() == 1 && partner.issuedAccessTokens().size() == 1,
                   "the refreshes really happened");
        StringBuilder views = new StringBuilder();
        for (Object o : seen) {
            views.append(o).append('\n');
            if (o instanceof Throwable t) {
                for (Throwable c = t; c != null; c = c.getCause()) {
                    views.append(c.getMessage()).append('\n');
                }
            }
        }
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a secret reached the log: " + secret.substring(0, 4) + "...");
            assertFalse(views.toString().contains(secret),
                        "a secret reached an exception, toString() or status: " + secret.substring(0, 4) + "...");
        }
    }
}
