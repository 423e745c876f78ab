package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * The HTTP side of a {@link StrictTokenServer}: a loopback JDK HttpServer that records every request, hands it to the
 * endpoint registered for its path and writes the answer that endpoint built, keeping the reason of each refusal. An
 * endpoint that fails answers 500, so a server bug shows up as a failing test, not a hang.
 */
final class TokenServerHttpShell implements AutoCloseable {

    /** Builds the answer to one request; the shell does all the I/O. */
    @FunctionalInterface
    interface Endpoint {
        HttpAnswer answer(RecordedRequest request) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Endpoint> endpoints;
    private final Endpoint unknownPath;
    private final String baseUrl;
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> rejections = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    TokenServerHttpShell(String threadName, Map<String, Endpoint> endpoints, Endpoint unknownPath) throws IOException {
        this.endpoints = Map.copyOf(endpoints);
        this.unknownPath = unknownPath;
        // a large backlog so 200+ simultaneous connects are not throttled by the kernel's accept queue
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        // cached pool: a delayed token call must not block the others (concurrency tests rely on overlap)
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Every request received, in arrival order. */
    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** One reason per refused request, in the order the refusals were made. */
    List<String> rejections() {
        return List.copyOf(rejections);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow(); // interrupts calls sleeping in a response delay
    }

    private void handle(HttpExchange exchange) {
        try {
            RecordedRequest request = record(exchange);
            requests.add(request);
            HttpAnswer answer = endpoints.getOrDefault(request.path(), unknownPath).answer(request);
            if (answer.rejection() != null) {
                rejections.add(answer.rejection());
            }
            send(exchange, answer);
        } catch (Exception e) {
            try {
                send(exchange, HttpAnswer.of(500, HttpAnswer.JSON, HttpAnswer.errorBody(
                        "server_error", "StrictTokenServer failed: " + e), Map.of()));
            } catch (IOException ignored) {
                // the client is gone
            }
        } finally {
            exchange.close();
        }
    }

    private static RecordedRequest record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        headers.replaceAll((k, v) -> List.copyOf(v));
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                                   exchange.getRequestURI().getRawQuery(), Collections.unmodifiableMap(headers),
                                   new String(body, StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, HttpAnswer answer) throws IOException {
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        // -1: no body at all (a zero-length scripted answer, or statuses such as 204 that forbid one)
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
