package io.github.cameltokenrefresh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unattended recovery from a dead refresh token, and warnings before a refresh token's known end of life. */
class FallbackGrantAndRefreshTokenLifetimeIT {

    private static final String AUTH_KEY = "bjJnLWtleTpuMmctc2VjcmV0";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path storeDir;

    private HttpServer n2g;
    private StrictTokenServer strict;
    private DefaultCamelContext context;
    private final Set<String> validRefreshTokens = ConcurrentHashMap.newKeySet();
    private final List<String> grants = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
        if (n2g != null) {
            n2g.stop(0);
        }
        if (strict != null) {
            strict.close();
        }
    }

    /** Newsletter2Go's token endpoint: its password authentication and its refresh, both with grant https://nl2go.com/jwt. */
    private String startNewsletter2go() throws Exception {
        n2g = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        n2g.createContext("/oauth/v2/token", this::answer);
        n2g.start();
        return "http://127.0.0.1:" + n2g.getAddress().getPort() + "/oauth/v2/token";
    }

    private void answer(HttpExchange exchange) throws java.io.IOException {
        Map<?, ?> body = JSON.readValue(exchange.getRequestBody(), Map.class);
        boolean authorized = ("Basic " + AUTH_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                             && exchange.getRequestHeaders().getFirst("Content-Type").startsWith("application/json")
                             && "https://nl2go.com/jwt".equals(body.get("grant_type"));
        String response;
        int status = 200;
        if (authorized && "me@example.com".equals(body.get("username")) && "pw-123456".equals(body.get("password"))
            && !body.containsKey("refresh_token")) {
            grants.add("password");
            String refreshToken = "rt-" + UUID.randomUUID();
            validRefreshTokens.add(refreshToken);
            response = "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"expires_in\":7200,\"token_type\":\"bearer\","
                       + "\"refresh_token\":\"" + refreshToken + "\",\"account_id\":\"awtfn5jn\",\"type\":\"user\"}";
        } else if (authorized && validRefreshTokens.contains(String.valueOf(body.get("refresh_token")))) {
            grants.add("refresh");
            response = "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"expires_in\":7200,\"token_type\":\"bearer\","
                       + "\"refresh_token\":\"" + body.get("refresh_token") + "\"}";
        } else {
            grants.add("refused");
            status = 400;
            response = "{\"error\":\"invalid_grant\"}";
        }
        byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void aDeadRefreshTokenIsReplacedByThePasswordGrantWithoutAPerson() throws Exception {
        String tokenUrl = startNewsletter2go();
        context = TestContexts.context(storeDir);
        TokenRefreshConfiguration config = new TokenRefreshConfiguration();
        config.setPreset("newsletter2go");
        config.setTokenUrl(tokenUrl);
        config.setInsecureHttp(true);
        config.setStoreDirectory(storeDir.toString());
        config.setAuthKey(AUTH_KEY);
        config.setRefreshToken("rt-long-dead");
        config.setFallbackGrant(io.github.cameltokenrefresh.dialect.FallbackGrantType.password);
        config.setUsername("me@example.com");
        config.setPassword("pw-123456");
        context.getRegistry().bind("n2g", config);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:n2g");
        TestContexts.addRoute(context, "direct:refresh", "tokenrefresh:n2g?operation=refresh");
        context.start();
        ProducerTemplate template = context.createProducerTemplate();

        String header = template.request("direct:call", e -> {
        }).getMessage().getHeader("Authorization", String.class);
        assertTrue(header.startsWith("Bearer at-"));
        assertEquals(List.of("refused", "password"), grants, "the dead refresh token, then the password grant");

        template.requestBody("direct:refresh", "");
        assertEquals("refresh", grants.get(2), "from then on, the new refresh token is used");
        assertEquals(TokenState.FRESH,
                     TestContexts.component(context).provider("n2g").status("default").state());
    }

    @Test
    void theFallbackNeedsItsCredentialsAtRouteStart() {
        context = TestContexts.context(storeDir);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> {
            TestContexts.addRoute(context, "direct:call", "tokenrefresh:n2g?preset=newsletter2go&authKey=" + AUTH_KEY
                                                          + "&tokenUrl=http://127.0.0.1:1/x&fallbackGrant=password&username=u");
            context.start();
        });
        String messages = TestContexts.messages(e);
        assertTrue(messages.contains("option password is required by fallbackGrant=password"), messages);
    }

    @Test
    void aRefreshTokenNearItsKnownEndIsReportedOnceAheadOfTime() throws Exception {
        // Newsletter2Go's refresh token lives one month and comes back unchanged with every refresh
        strict = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey(AUTH_KEY).addRefreshToken("rt-month");
        MutableClock clock = new MutableClock(Instant.now());
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:refresh").to("tokenrefresh:n2g?preset=newsletter2go&operation=refresh&tokenUrl="
                                          + strict.tokenUrl() + "&authKey=" + AUTH_KEY + "&refreshToken=rt-month");
                from("tokenrefresh:n2g?events=refresh_token_expiring").to("mock:expiring");
            }
        });
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        MockEndpoint expiring = context.getEndpoint("mock:expiring", MockEndpoint.class);
        Instant start = clock.instant();

        template.requestBody("direct:refresh", "");
        clock.advance(Duration.ofDays(20));
        template.requestBody("direct:refresh", "");
        AccountStatus status = TestContexts.component(context).provider("n2g").status("default");
        assertEquals(start.plus(Duration.ofDays(30)), status.refreshTokenExpiresAt());
        assertTrue(!status.refreshTokenExpiring());

        clock.advance(Duration.ofDays(4)); // 6 days left: inside the 7-day warning
        template.requestBody("direct:refresh", "");
        template.requestBody("direct:refresh", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> expiring.getReceivedCounter() == 1);
        TokenEvent event = expiring.getReceivedExchanges().get(0).getMessage().getBody(TokenEvent.class);
        assertEquals(TokenEvent.Type.REFRESH_TOKEN_EXPIRING, event.type());
        assertTrue(event.message().contains(start.plus(Duration.ofDays(30)).toString())
                   && event.message().contains("re-authorize"), event.message());
        assertTrue(TestContexts.component(context).provider("n2g").status("default").refreshTokenExpiring());
        assertEquals(1, expiring.getReceivedCounter(), "once per refresh token, not once per refresh");
        assertEquals(4, strict.successfulRefreshes());
    }
}
