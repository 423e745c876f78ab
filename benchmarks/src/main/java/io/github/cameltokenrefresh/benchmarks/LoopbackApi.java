package io.github.cameltokenrefresh.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The API every variant of the load harness calls, on loopback only: one JDK HttpServer with
 * <ul>
 * <li>{@code /api/resource}: 200 for a known Bearer token, 401 otherwise. The same check for all variants: a
 * ConcurrentHashMap lookup (tokens issued elsewhere are admitted once through {@code alsoValid}, then cached);</li>
 * <li>{@code /cc/token}: a minimal OAuth2 client_credentials token endpoint (RFC 6749 §4.4, client auth by HTTP
 * Basic), for Camel HTTP's own {@code oauth2*} options. The StrictTokenServer speaks refresh_token only.</li>
 * </ul>
 */
final class LoopbackApi implements AutoCloseable {

    static final String RESOURCE_PATH = "/api/resource";
    static final String CC_TOKEN_PATH = "/cc/token";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> valid = ConcurrentHashMap.newKeySet();
    private final Predicate<String> alsoValid;
    private final String basic;
    private final long ccExpiresIn;
    private final AtomicInteger ccTokenCalls = new AtomicInteger();
    private final AtomicInteger resourceCalls = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private volatile long ccDelayMillis;

    LoopbackApi(String clientId, String clientSecret, long ccExpiresIn, Predicate<String> alsoValid, int threads)
            throws IOException {
        this.alsoValid = alsoValid;
        this.ccExpiresIn = ccExpiresIn;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "loopback-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(RESOURCE_PATH, this::resource);
        server.createContext(CC_TOKEN_PATH, this::clientCredentials);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String resourceUrl() {
        return baseUrl() + RESOURCE_PATH;
    }

    String ccTokenUrl() {
        return baseUrl() + CC_TOKEN_PATH;
    }

    /** A token the resource accepts from now on (the constant-header variant's token). */
    String mint() {
        String token = "const-" + UUID.randomUUID();
        valid.add(token);
        return token;
    }

    LoopbackApi ccDelay(long millis) {
        this.ccDelayMillis = millis;
        return this;
    }

    int ccTokenCalls() {
        return ccTokenCalls.get();
    }

    int resourceCalls() {
        return resourceCalls.get();
    }

    int unauthorized() {
        return unauthorized.get();
    }

    private void resource(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            resourceCalls.incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            if (token == null || !(valid.contains(token) || admit(token))) {
                unauthorized.incrementAndGet();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                send(exchange, 401, "{\"error\":\"invalid_token\"}");
                return;
            }
            send(exchange, 200, "{\"ok\":true}");
        }
    }

    private boolean admit(String token) {
        if (alsoValid != null && alsoValid.test(token)) {
            valid.add(token);
            return true;
        }
        return false;
    }

    /** Forgets a token: the resource answers 401 for it from now on. */
    void revoke(String token) {
        valid.remove(token);
    }

    private void clientCredentials(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            ccTokenCalls.incrementAndGet();
            if (ccDelayMillis > 0) {
                try {
                    Thread.sleep(ccDelayMillis); // a slow token endpoint, so concurrent callers overlap
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!"POST".equals(exchange.getRequestMethod())
                || !basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                || !body.contains("grant_type=client_credentials")) {
                send(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String token = "cc-" + UUID.randomUUID();
            valid.add(token);
            send(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                                + ccExpiresIn + "}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
