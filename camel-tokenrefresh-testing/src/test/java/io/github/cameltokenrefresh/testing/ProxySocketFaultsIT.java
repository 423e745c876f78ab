package io.github.cameltokenrefresh.testing;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.github.cameltokenrefresh.testing.ProxyTestClient.header;
import static io.github.cameltokenrefresh.testing.ProxyTestClient.rawRefresh;
import static io.github.cameltokenrefresh.testing.ProxyTestClient.readHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the faults {@link FaultInjectingTokenProxy} plays on the socket, read byte by byte from a raw connection:
 * FIN and RST before and in the middle of an answer, a hang, bodies that never end or trickle, keep-alive, the
 * connection limit and {@link FaultInjectingTokenProxy#close()}.
 */
class ProxySocketFaultsIT {

    private static final String TOKEN_BODY = "{\"access_token\":\"at-mid\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

    private StrictTokenServer server;
    private FaultInjectingTokenProxy proxy;

    @BeforeEach
    void start() {
        server = StrictTokenServer.start(Dialect.OAUTH2).addRefreshToken("rt-1");
        proxy = FaultInjectingTokenProxy.inFrontOf(server);
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.close();
    }

    @Test
    void closeBeforeResponseEndsTheConnectionWithoutAByte() throws Exception {
        proxy.failNext(1, ProxyFault.closeBeforeResponse());
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            assertEquals(-1, socket.getInputStream().read());
        }
        assertEquals(0, server.tokenCalls());
    }

    @Test
    void resetBeforeResponseResetsTheConnection() throws Exception {
        proxy.failNext(1, ProxyFault.resetBeforeResponse());
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            assertThrows(SocketException.class, () -> socket.getInputStream().read());
        }
    }

    @Test
    void closeMidResponseSendsHalfTheAnnouncedBodyThenEnds() throws Exception {
        proxy.failNext(1, ProxyFault.closeMidResponse("at-mid"));
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            byte[] body = in.readAllBytes();

            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            assertEquals(Integer.toString(TOKEN_BODY.length()), header(head, "Content-Length"));
            assertEquals(TOKEN_BODY.substring(0, TOKEN_BODY.length() / 2), new String(body, StandardCharsets.UTF_8));
        }
    }

    @Test
    void resetMidResponseNeverEndsCleanly() throws Exception {
        proxy.failNext(1, ProxyFault.resetMidResponse("at-mid"));
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            assertThrows(SocketException.class, () -> socket.getInputStream().readAllBytes());
        }
    }

    @Test
    void closeMidBodyWithoutLengthLooksLikeAWholeBodyEndedByTheConnection() throws Exception {
        proxy.failNext(1, ProxyFault.closeMidBodyWithoutLength("at-mid"));
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);

            assertNull(header(head, "Content-Length"), head);
            assertNull(header(head, "Transfer-Encoding"), head);
            assertEquals("close", header(head, "Connection"));
            assertEquals(TOKEN_BODY.substring(0, TOKEN_BODY.length() / 2),
                         new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHangAnswersNothingAndEndsWhenTheClientLeaves() throws Exception {
        proxy.failNext(1, ProxyFault.hang(Duration.ofMinutes(5)));
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        }
        assertTrue(proxy.awaitQuiet(Duration.ofMillis(100), Duration.ofSeconds(20)),
                   "the hang ended with the client, long before its five minutes");
        assertEquals(0, server.tokenCalls());
    }

    @Test
    void anEndlessBodyKeepsComingInChunksAndIsCounted() throws Exception {
        proxy.failNext(1, ProxyFault.endlessBody(Duration.ofMillis(1), Duration.ofMinutes(5)));
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            byte[] first = in.readNBytes(300_000); // more than four 64 KiB chunks, and no end in sight

            assertEquals("chunked", header(head, "Transfer-Encoding"));
            assertEquals(300_000, first.length);
            assertTrue(new String(first, 0, 64, StandardCharsets.US_ASCII).startsWith("10000\r\n{\"access_token\""));
        }
        assertTrue(proxy.awaitQuiet(Duration.ofMillis(100), Duration.ofSeconds(20)), "ended when the client left");
        assertTrue(proxy.faultBodyBytesSent() >= 4 * 64 * 1024, "counted: " + proxy.faultBodyBytesSent());
    }

    @Test
    void aTrickleSendsAValidBodyOneCountedByteAtATime() throws Exception {
        proxy.failNext(1, ProxyFault.trickle(Duration.ofMillis(1), Duration.ofMinutes(1), "at-slow"));
        try (ProxyTestClient client = new ProxyTestClient()) {
            HttpResponse<String> response = client.refresh(proxy, server, "rt-1");

            assertEquals("at-slow", new ObjectMapper().readTree(response.body()).get("access_token").asText());
            assertEquals(response.body().length(), proxy.faultBodyBytesSent());
        }
    }

    @Test
    void answeredFaultsKeepTheConnectionForTheNextCall() throws Exception {
        proxy.failNext(1, ProxyFault.serverError(503));
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            InputStream in = socket.getInputStream();
            String first = readHead(in);
            in.readNBytes(Integer.parseInt(header(first, "Content-Length")));
            ProxyTestClient.sendRefresh(socket, "rt-1");
            String second = readHead(in);

            assertTrue(first.startsWith("HTTP/1.1 503 "), first);
            assertTrue(second.startsWith("HTTP/1.1 200 "), second);
        }
        assertEquals(2, proxy.callCount());
    }

    @Test
    void connectionsBeyondTheMaximumAreTurnedAway() throws Exception {
        int port = URI.create(proxy.baseUrl()).getPort();
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < FaultInjectingTokenProxy.MAX_CONNECTIONS; i++) {
                open.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            try (Socket oneTooMany = new Socket(InetAddress.getLoopbackAddress(), port)) {
                oneTooMany.setSoTimeout(10_000);
                assertEquals(-1, oneTooMany.getInputStream().read(), "closed at once");
            }
            assertEquals(1, proxy.refusedConnections());
            proxy.failNext(1, ProxyFault.serverError(500));
            Socket first = open.get(0);
            first.setSoTimeout(10_000);
            ProxyTestClient.sendRefresh(first, "rt-1");
            assertTrue(readHead(first.getInputStream()).startsWith("HTTP/1.1 500 "), "the open ones are served");
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    @Test
    void closeEndsEveryConnectionAndTheListener() throws Exception {
        proxy.failNext(1, ProxyFault.hang(Duration.ofMinutes(5)));
        int port = URI.create(proxy.baseUrl()).getPort();
        try (Socket socket = rawRefresh(proxy, "rt-1")) {
            ProxyTestClient.await("the call hangs", () -> proxy.callCount() == 1, Duration.ofSeconds(10));
            proxy.close();
            boolean ended;
            try {
                ended = socket.getInputStream().read() == -1;
            } catch (SocketTimeoutException e) {
                ended = false;
            } catch (SocketException e) {
                ended = true; // reset: ended as well
            }
            assertTrue(ended, "the hanging connection ended with the proxy");
        }
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        assertEquals(1, proxy.callCount());
    }
}
