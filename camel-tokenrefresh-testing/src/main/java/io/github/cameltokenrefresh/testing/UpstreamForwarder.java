package io.github.cameltokenrefresh.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The relaying half of {@link FaultInjectingTokenProxy}: sends a token call to the loopback upstream server on a fresh
 * connection (through the {@link RefreshTokenGracePeriod}) and relays its answer unchanged, or rewritten
 * ({@link ProxyFault#forwardThenMutate}), or not at all ({@link ProxyFault#forwardThenDrop}).
 */
final class UpstreamForwarder {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hop-by-hop and framing headers: the proxy frames each message itself. */
    private static final Set<String> REQUEST_HEADERS_NOT_COPIED =
            Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection");
    private static final Set<String> RESPONSE_HEADERS_NOT_COPIED =
            Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "date");

    private final int upstreamPort;
    private final RefreshTokenGracePeriod gracePeriod;
    private final AtomicInteger forwarded = new AtomicInteger();

    UpstreamForwarder(int upstreamPort, RefreshTokenGracePeriod gracePeriod) {
        this.upstreamPort = upstreamPort;
        this.gracePeriod = gracePeriod;
    }

    /**
     * @param fault null, or a fault that {@link ProxyFault#forwards() forwards}
     * @return whether the client connection stays open
     */
    boolean forward(ProxiedRequest request, OutputStream client, ProxyFault fault) throws IOException {
        ProxiedRequest sent = gracePeriod.apply(request);
        UpstreamResponse response = exchange(sent);
        gracePeriod.observe(sent, response);
        if (fault != null && fault.kind == ProxyFault.Kind.FORWARD_THEN_DROP) {
            return false; // the server rotated; the answer is lost on the way back
        }
        byte[] answer = response.body();
        if (fault != null && fault.kind == ProxyFault.Kind.FORWARD_THEN_MUTATE
            && JSON.readTree(answer) instanceof ObjectNode object) {
            answer = JSON.writeValueAsBytes(fault.mutation.apply(object));
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
                .append(response.reason()).append("\r\n");
        copyHeaders(response.headers(), RESPONSE_HEADERS_NOT_COPIED, head);
        head.append("Content-Length: ").append(answer.length).append("\r\n\r\n");
        client.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        client.write(answer);
        client.flush();
        return true;
    }

    private UpstreamResponse exchange(ProxiedRequest request) throws IOException {
        try (Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
            upstream.setSoTimeout(15_000);
            OutputStream up = upstream.getOutputStream();
            StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target())
                    .append(" HTTP/1.1\r\n");
            copyHeaders(request.headers(), REQUEST_HEADERS_NOT_COPIED, head);
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
            head.append("Connection: close\r\n\r\n");
            up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(request.body());
            up.flush();
            forwarded.incrementAndGet();
            return UpstreamResponse.read(new BufferedInputStream(upstream.getInputStream()));
        }
    }

    private static void copyHeaders(Map<String, List<String>> headers, Set<String> notCopied, StringBuilder head) {
        headers.forEach((name, values) -> {
            if (!notCopied.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
            }
        });
    }

    /** Requests that reached the upstream server. */
    int forwarded() {
        return forwarded.get();
    }
}
