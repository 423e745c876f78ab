package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Plays a {@link ProxyFault} that the proxy answers itself on the client's connection, at the socket level: writes
 * the faulty answer, hangs, closes (FIN) or resets (RST) at the chosen moment, or sends a body that never ends or
 * trickles. Every fault ends by itself: a hang or a slow body after its maximum, an endless body after 256 MiB, and
 * all of them when the proxy closes.
 */
final class FaultPlayer {

    private static final long ENDLESS_BODY_CAP = 256L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final Supplier<Clock> clock;
    private final BooleanSupplier closed;
    private final AtomicLong bodyBytesSent = new AtomicLong();

    FaultPlayer(Supplier<Clock> clock, BooleanSupplier closed) {
        this.clock = clock;
        this.closed = closed;
    }

    /** @return whether the connection stays open for the next request */
    boolean play(ProxyFault fault, Socket client, InputStream in, OutputStream out) throws IOException {
        switch (fault.kind) {
            case RESPOND -> {
                respond(fault, out);
                return true;
            }
            case HANG -> waitForClientToLeave(client, in, fault.max);
            case CLOSE_BEFORE_RESPONSE -> {
                // close without a byte of answer
            }
            case RESET_BEFORE_RESPONSE -> client.setSoLinger(true, 0);
            case CLOSE_MID_RESPONSE, RESET_MID_RESPONSE -> {
                writeHead(out, 200, fault.contentType, Map.of(), fault.body.length, false);
                out.write(fault.body, 0, fault.body.length / 2);
                out.flush();
                if (fault.kind == ProxyFault.Kind.RESET_MID_RESPONSE) {
                    client.setSoLinger(true, 0);
                }
            }
            case CLOSE_MID_BODY_WITHOUT_LENGTH -> {
                writeHead(out, 200, fault.contentType, Map.of("Connection", "close"), -1, false);
                out.write(fault.body, 0, fault.body.length / 2);
                out.flush();
            }
            case ENDLESS_BODY -> endless(out, fault);
            case TRICKLE -> trickle(out, fault);
            default -> throw new IllegalStateException("the proxy forwards " + fault + ", it does not play it");
        }
        return false;
    }

    /** Body bytes written by endless, huge and trickling faults (what the client let through before it stopped). */
    long bodyBytesSent() {
        return bodyBytesSent.get();
    }

    void resetBodyBytesSent() {
        bodyBytesSent.set(0);
    }

    private void respond(ProxyFault fault, OutputStream out) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(fault.headers);
        if (fault.retryAfterAsDate != null) {
            headers.put("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(clock.get().instant().plus(fault.retryAfterAsDate).atOffset(ZoneOffset.UTC)));
        }
        writeHead(out, fault.status, fault.contentType, headers, fault.body.length, false);
        // counted before the bytes leave: a client that has read them never sees a count without them
        long counted = fault.body.length > CHUNK ? fault.body.length : 0;
        bodyBytesSent.addAndGet(counted);
        try {
            out.write(fault.body);
            out.flush();
        } catch (IOException e) {
            bodyBytesSent.addAndGet(-counted);
            throw e;
        }
    }

    private void waitForClientToLeave(Socket client, InputStream in, Duration max) throws IOException {
        long deadline = System.nanoTime() + (max == null ? Duration.ofSeconds(10) : max).toNanos();
        client.setSoTimeout(50);
        byte[] sink = new byte[512];
        while (!closed.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                if (in.read(sink) < 0) {
                    return; // the client timed out and closed
                }
            } catch (SocketTimeoutException e) {
                // still there; keep hanging
            }
        }
    }

    private void endless(OutputStream out, ProxyFault fault) throws IOException {
        writeHead(out, 200, fault.contentType, Map.of(), -1, true);
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) ' ');
        byte[] start = "{\"access_token\":\"at-endless\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, chunk, 0, start.length);
        long deadline = System.nanoTime() + fault.max.toNanos();
        long sent = 0;
        try {
            while (!closed.getAsBoolean() && System.nanoTime() < deadline && sent < ENDLESS_BODY_CAP) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sent += chunk.length;
                bodyBytesSent.addAndGet(chunk.length);
                Arrays.fill(chunk, 0, start.length, (byte) ' '); // the JSON starts once; the rest is padding
                pause(fault.interval);
            }
        } catch (IOException e) {
            // the client stopped reading and closed: that is what a capped client does
        }
    }

    private void trickle(OutputStream out, ProxyFault fault) throws IOException {
        writeHead(out, 200, fault.contentType, Map.of(), fault.body.length, false);
        long deadline = System.nanoTime() + fault.max.toNanos();
        try {
            for (int i = 0; i < fault.body.length && !closed.getAsBoolean() && System.nanoTime() < deadline; i++) {
                bodyBytesSent.incrementAndGet(); // before it leaves, as above
                try {
                    out.write(fault.body[i]);
                    out.flush();
                } catch (IOException e) {
                    bodyBytesSent.decrementAndGet();
                    throw e;
                }
                pause(fault.interval);
            }
        } catch (IOException e) {
            // the client gave up
        }
    }

    /** The pace of a slow body: part of the fault, not a wait for anything. */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeHead(OutputStream out, int status, String contentType, Map<String, String> headers,
                                  long contentLength, boolean chunked) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (contentLength >= 0) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        head.append("Cache-Control: no-store\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 408 -> "Request Timeout";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }
}
