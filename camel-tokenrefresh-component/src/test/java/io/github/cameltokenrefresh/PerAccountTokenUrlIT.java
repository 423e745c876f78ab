package io.github.cameltokenrefresh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two accounts of one provider refresh at two hosts, through Camel HTTP: two strict token servers on 127.0.0.1 and
 * 127.0.0.2 (one port), each following the Microsoft identity platform's refresh request as documented
 * (POST /{tenant}/oauth2/v2.0/token, form body with client_id, client_secret, grant_type=refresh_token, refresh_token
 * and the required scope) and serving only its own tenant.
 */
class PerAccountTokenUrlIT {

    private final List<HttpServer> servers = new java.util.ArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
        servers.forEach(s -> s.stop(0));
    }

    /** A strict server for one tenant at one loopback address. */
    private int serve(String address, int port, String tenant) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
        AtomicInteger issued = new AtomicInteger();
        server.createContext("/", exchange -> {
            String problem = problem(exchange, tenant);
            seen.add(address + " " + exchange.getRequestURI().getPath());
            if (problem != null) {
                answer(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"" + problem + "\"}");
                return;
            }
            int n = issued.incrementAndGet();
            answer(exchange, 200, "{\"token_type\":\"Bearer\",\"scope\":\"User.Read\",\"expires_in\":3599,"
                                  + "\"access_token\":\"at-" + tenant + "-" + n + "\",\"refresh_token\":\"rt-" + tenant + "-"
                                  + n + "\"}");
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static String problem(HttpExchange exchange, String tenant) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())
            || !("/" + tenant + "/oauth2/v2.0/token").equals(exchange.getRequestURI().getPath())) {
            return "AADSTS90002: Tenant not found";
        }
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                     URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        if (!"c".equals(form.get("client_id")) || !"s".equals(form.get("client_secret"))) {
            return "AADSTS7000215: Invalid client secret provided";
        }
        if (!form.containsKey("scope")) {
            return "AADSTS90014: The request body must contain the following parameter: 'scope'.";
        }
        String refreshToken = form.get("refresh_token");
        if (!"refresh_token".equals(form.get("grant_type")) || refreshToken == null
            || !refreshToken.startsWith("rt-" + tenant)) {
            return "AADSTS70000: invalid grant";
        }
        return null;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private Exchange refresh(String account, String refreshToken, Map<String, String> attributes) {
        Exchange exchange = context.createProducerTemplate().request("direct:refresh", e -> {
            e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, account);
            if (refreshToken != null) {
                e.getMessage().setHeader(TokenRefreshConstants.REFRESH_TOKEN, refreshToken);
            }
            if (attributes != null) {
                e.getMessage().setHeader(TokenRefreshConstants.ATTRIBUTES, attributes);
            }
        });
        assertNull(exchange.getException());
        return exchange;
    }

    @Test
    void twoAccountsRefreshAtTheirOwnHostAndTenant() throws Exception {
        int port = serve("127.0.0.1", 0, "contoso");
        serve("127.0.0.2", port, "fabrikam");
        context.getRegistry().bind("memory", new MemoryTokenStore());
        TestContexts.addRoute(context, "direct:refresh", "tokenrefresh:entra?operation=refresh&insecureHttp=true"
                + "&tokenUrl=http://{host}:" + port + "/{tenant}/oauth2/v2.0/token&clientId=c&clientSecret=s"
                + "&clientAuthentication=post&param.scope=RAW(offline_access User.Read)&store=#memory");
        context.start();

        Exchange contoso = refresh("a", "rt-contoso-0", Map.of("host", "127.0.0.1", "tenant", "contoso"));
        Exchange fabrikam = refresh("b", "rt-fabrikam-0", Map.of("host", "127.0.0.2", "tenant", "fabrikam"));
        Exchange again = refresh("a", null, null);

        assertEquals("Bearer at-contoso-1", contoso.getMessage().getHeader("Authorization"));
        assertEquals("Bearer at-fabrikam-1", fabrikam.getMessage().getHeader("Authorization"));
        assertEquals("Bearer at-contoso-2", again.getMessage().getHeader("Authorization"), "the rotated token, same host");
        assertEquals(List.of("127.0.0.1 /contoso/oauth2/v2.0/token", "127.0.0.2 /fabrikam/oauth2/v2.0/token",
                             "127.0.0.1 /contoso/oauth2/v2.0/token"), seen);
    }
}
