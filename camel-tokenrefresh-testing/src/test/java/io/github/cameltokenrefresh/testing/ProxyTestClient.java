package io.github.cameltokenrefresh.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Token calls for the proxy tests, written here and not with the proxy's own HTTP code: through the JDK HttpClient
 * for whole answers, and over a raw socket where a test must see what the bytes on the wire did.
 */
final class ProxyTestClient implements AutoCloseable {

    static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("test-client:test-secret".getBytes(StandardCharsets.UTF_8));

    private final ExecutorService pool = Executors.newCachedThreadPool();
    // HTTP/1.1 only: the proxy speaks nothing else
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(pool).build();

    /** An RFC 6749 §6 refresh (the OAUTH2 dialect) through the proxy. */
    HttpResponse<String> refresh(FaultInjectingTokenProxy proxy, StrictTokenServer server, String refreshToken)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.tokenUrl(server)))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", BASIC)
                .POST(HttpRequest.BodyPublishers.ofString(form(refreshToken)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The partner dialect's refresh: headers and a JSON body with {@code refreshToken}. */
    HttpResponse<String> partnerRefresh(FaultInjectingTokenProxy proxy, StrictTokenServer server, String refreshToken)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.tokenUrl(server)))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("partnerId", Integer.toString(server.partnerId()))
                .header("grantType", "refresh_token")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refreshToken\":\"" + refreshToken + "\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A socket to the proxy that has sent one OAUTH2 refresh and waits at most 10 s for each read. */
    static Socket rawRefresh(FaultInjectingTokenProxy proxy, String refreshToken) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), URI.create(proxy.baseUrl()).getPort());
        socket.setSoTimeout(10_000);
        sendRefresh(socket, refreshToken);
        return socket;
    }

    static void sendRefresh(Socket socket, String refreshToken) throws IOException {
        byte[] body = form(refreshToken).getBytes(StandardCharsets.UTF_8);
        String head = "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + BASIC
                      + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                      + "\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
    }

    /** The status line and headers of an answer, up to and without the blank line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection ended in the head after " + head.size() + " bytes");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    /** The value of a header in a head read by {@link #readHead}, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Waits for a condition (polling, as Awaitility would); fails when it does not hold within the timeout. */
    static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    private static String form(String refreshToken) {
        return "grant_type=refresh_token&refresh_token=" + refreshToken;
    }

    @Override
    public void close() {
        pool.shutdownNow(); // the HttpClient of Java 17 has no close(); its connections end with its executor
    }
}
