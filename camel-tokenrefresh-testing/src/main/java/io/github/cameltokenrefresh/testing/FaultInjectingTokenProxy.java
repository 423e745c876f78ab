package io.github.cameltokenrefresh.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A loopback HTTP/1.1 proxy in front of a token endpoint (usually a {@link StrictTokenServer}) that answers token calls
 * with injected faults at the socket level: error statuses, {@code Retry-After}, a hang past the client's timeout, a
 * connection closed or reset before or in the middle of the answer, HTML, truncated JSON, an answer without
 * {@code access_token} or with a non-positive {@code expires_in}, a huge or endless body, a body that trickles in.
 * <p>
 * A fault is answered by the proxy itself: the request never reaches the upstream server, so a rotating refresh token
 * is not consumed there. Two faults do reach it on purpose: {@link Fault#forwardThenMutate} (the server rotated, then
 * the answer was spoiled on the way) and {@link Fault#forwardThenDrop} (the server rotated, the answer was lost).
 * Without a fault, requests are forwarded unchanged and the answer relayed.
 * <p>
 * {@link #gracePeriod(Duration)} emulates a provider that keeps accepting the previous refresh token for a while after
 * rotating it (Okta's "grace period for token rotation", Auth0's "reuse interval"): a token call carrying the
 * immediately previous refresh token within the grace period is forwarded with the current one instead, and the
 * upstream rotates as usual (after which the token used under grace is two generations old and refused). Rotation is
 * tracked per refresh-token chain, so several accounts can share one proxy.
 * <p>
 * JDK only, loopback only, bounded: at most {@value #MAX_CONNECTIONS} connections at a time, requests up to 1 MiB,
 * every fault ends by itself (hangs and endless bodies after their maximum), and {@link #close()} closes every socket.
 * Never logs anything: request bodies carry refresh tokens and client secrets.
 */
public final class FaultInjectingTokenProxy implements AutoCloseable {

    public static final int MAX_CONNECTIONS = 64;
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;
    private static final int MAX_UPSTREAM_RESPONSE_BYTES = 4 * 1024 * 1024;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the proxy does with one token call. Immutable; build with the static factories. */
    public static final class Fault {

        enum Kind {
            RESPOND, HANG, CLOSE_BEFORE_RESPONSE, RESET_BEFORE_RESPONSE, CLOSE_MID_RESPONSE, RESET_MID_RESPONSE,
            CLOSE_MID_BODY_WITHOUT_LENGTH, ENDLESS_BODY, TRICKLE, FORWARD_THEN_MUTATE, FORWARD_THEN_DROP
        }

        final Kind kind;
        final String name;
        final int status;
        final String contentType;
        final Map<String, String> headers;
        final byte[] body;
        final Duration max;
        final Duration interval;
        final UnaryOperator<ObjectNode> mutation;
        /** Retry-After given as "seconds from now" and sent as an HTTP date computed from the proxy's clock. */
        final Duration retryAfterAsDate;

        private Fault(Kind kind, String name, int status, String contentType, Map<String, String> headers, byte[] body,
                      Duration max, Duration interval, UnaryOperator<ObjectNode> mutation, Duration retryAfterAsDate) {
            this.kind = kind;
            this.name = name;
            this.status = status;
            this.contentType = contentType;
            this.headers = headers == null ? Map.of() : Map.copyOf(headers);
            this.body = body == null ? new byte[0] : body;
            this.max = max;
            this.interval = interval;
            this.mutation = mutation;
            this.retryAfterAsDate = retryAfterAsDate;
        }

        private static Fault respond(String name, int status, String contentType, String body, Map<String, String> headers) {
            return new Fault(Kind.RESPOND, name, status, contentType, headers,
                             body == null ? null : body.getBytes(StandardCharsets.UTF_8), null, null, null, null);
        }

        /** Any status with a body of the given content type (null: no Content-Type header). */
        public static Fault status(int status, String contentType, String body) {
            return respond("HTTP " + status, status, contentType, body, Map.of());
        }

        /** A server error with a short plain-text body, as load balancers send. */
        public static Fault serverError(int status) {
            return respond("HTTP " + status, status, "text/plain", "upstream error " + status, Map.of());
        }

        /** An error status with {@code Retry-After} in delta-seconds. */
        public static Fault retryAfterSeconds(int status, long seconds) {
            return respond("HTTP " + status + " Retry-After " + seconds + "s", status, "application/json",
                           "{\"error\":\"temporarily_unavailable\"}", Map.of("Retry-After", Long.toString(seconds)));
        }

        /** An error status with a raw {@code Retry-After} value, however odd. */
        public static Fault retryAfterRaw(int status, String value) {
            return respond("HTTP " + status + " Retry-After '" + value + "'", status, "text/plain", "slow down",
                           Map.of("Retry-After", value));
        }

        /** An error status with {@code Retry-After} as an HTTP date this far after the proxy clock's now. */
        public static Fault retryAfterDate(int status, Duration fromNow) {
            return new Fault(Kind.RESPOND, "HTTP " + status + " Retry-After date +" + fromNow.toSeconds() + "s", status,
                             "text/plain", Map.of(), "slow down".getBytes(StandardCharsets.UTF_8), null, null, null,
                             fromNow);
        }

        /** 200 with an HTML page: a captive portal or a proxy's login page. */
        public static Fault html(int status) {
            return respond("HTML " + status, status, "text/html; charset=UTF-8",
                           "<!DOCTYPE html><html><head><title>Sign in</title></head><body>proxy login</body></html>",
                           Map.of());
        }

        /** 200 application/json whose body stops in the middle (the length header matches what is sent). */
        public static Fault truncatedJson(String accessTokenInBody) {
            String full = "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
            return respond("truncated JSON", 200, "application/json", full.substring(0, full.length() - 20), Map.of());
        }

        /**
         * 200 application/json with everything but access_token (and no refresh_token: a server that did not rotate;
         * see {@link #forwardThenMutate} for one that did).
         */
        public static Fault withoutAccessToken() {
            return respond("no access_token", 200, "application/json",
                           "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"read\"}", Map.of());
        }

        /** 200 application/json with a token whose expires_in is the given value (0 or negative: a lying server). */
        public static Fault expiresIn(String expiresIn, String accessTokenInBody) {
            return respond("expires_in " + expiresIn, 200, "application/json",
                           "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                                                                        + expiresIn + "}",
                           Map.of());
        }

        /** 200 application/json of this many bytes, with a Content-Length: a valid token padded with whitespace. */
        public static Fault hugeBody(int bytes, String accessTokenInBody) {
            String token = "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":3600";
            byte[] body = new byte[Math.max(bytes, token.length() + 1)];
            java.util.Arrays.fill(body, (byte) ' ');
            byte[] head = token.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(head, 0, body, 0, head.length);
            body[body.length - 1] = '}';
            return new Fault(Kind.RESPOND, "huge body " + bytes + " bytes", 200, "application/json", Map.of(), body, null,
                             null, null, null);
        }

        /** Reads the request and answers nothing until the client gives up (or {@code max} passes). */
        public static Fault hang(Duration max) {
            return new Fault(Kind.HANG, "hang", 0, null, null, null, max, null, null, null);
        }

        /** Reads the request, then closes the connection without a byte of answer (FIN). */
        public static Fault closeBeforeResponse() {
            return new Fault(Kind.CLOSE_BEFORE_RESPONSE, "close before response", 0, null, null, null, null, null, null,
                             null);
        }

        /** Reads the request, then resets the connection (RST). */
        public static Fault resetBeforeResponse() {
            return new Fault(Kind.RESET_BEFORE_RESPONSE, "reset before response", 0, null, null, null, null, null, null,
                             null);
        }

        /** Sends 200, a Content-Length and half of a valid token body, then closes (FIN). */
        public static Fault closeMidResponse(String accessTokenInBody) {
            return midResponse(Kind.CLOSE_MID_RESPONSE, "close mid-response", accessTokenInBody);
        }

        /** Sends 200, a Content-Length and half of a valid token body, then resets (RST). */
        public static Fault resetMidResponse(String accessTokenInBody) {
            return midResponse(Kind.RESET_MID_RESPONSE, "reset mid-response", accessTokenInBody);
        }

        /** HTTP/1.1 200 with Connection: close and no length: half a token body, then the connection ends. */
        public static Fault closeMidBodyWithoutLength(String accessTokenInBody) {
            return midResponse(Kind.CLOSE_MID_BODY_WITHOUT_LENGTH, "close mid-body without length", accessTokenInBody);
        }

        private static Fault midResponse(Kind kind, String name, String accessTokenInBody) {
            String body = "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
            return new Fault(kind, name, 200, "application/json", Map.of(), body.getBytes(StandardCharsets.UTF_8), null,
                             null, null, null);
        }

        /** 200 application/json, chunked, 64 KiB every {@code interval}, never ending until {@code max} or the client leaves. */
        public static Fault endlessBody(Duration interval, Duration max) {
            return new Fault(Kind.ENDLESS_BODY, "endless body", 200, "application/json", null, null, max, interval, null,
                             null);
        }

        /** 200 with a valid token body sent one byte every {@code interval}: each read is quick, the whole is not. */
        public static Fault trickle(Duration interval, Duration max, String accessTokenInBody) {
            String body = "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":3600"
                          + " ".repeat(200) + "}";
            return new Fault(Kind.TRICKLE, "trickle", 200, "application/json", null, body.getBytes(StandardCharsets.UTF_8),
                             max, interval, null, null);
        }

        /** Forwards the call (the upstream refreshes, and rotates), then rewrites its JSON answer. */
        public static Fault forwardThenMutate(String name, UnaryOperator<ObjectNode> mutation) {
            return new Fault(Kind.FORWARD_THEN_MUTATE, name, 0, null, null, null, null, null, mutation, null);
        }

        /** Forwards the call (the upstream refreshes, and rotates), then closes without relaying the answer. */
        public static Fault forwardThenDrop() {
            return new Fault(Kind.FORWARD_THEN_DROP, "forward then drop", 0, null, null, null, null, null, null, null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** One request the proxy received: method, path, when (by the proxy's clock) and what was done with it. */
    public record Call(String method, String path, Instant at, String outcome) {
    }

    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final ThreadPoolExecutor workers;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final String baseUrl;

    private final Object lock = new Object();
    private final Deque<Fault> queued = new ArrayDeque<>(); // guarded by lock
    private Fault always; // guarded by lock
    private volatile Clock clock = Clock.systemUTC();
    private volatile Duration gracePeriod = Duration.ZERO;
    /** previous refresh token -> its rotation, while the token it was rotated to has not been used itself. */
    private final Map<String, Rotation> rotations = new LinkedHashMap<>(); // guarded by lock
    /** current refresh token -> the previous one it replaced. */
    private final Map<String, String> previousOf = new LinkedHashMap<>(); // guarded by lock
    /** Every refresh token a relayed answer rotated away (bounded). */
    private final Set<String> rotatedAway = new java.util.LinkedHashSet<>(); // guarded by lock

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger graceUses = new AtomicInteger();
    private final AtomicLong faultBodyBytesSent = new AtomicLong();
    private final AtomicInteger refusedConnections = new AtomicInteger();
    private final AtomicInteger handling = new AtomicInteger();
    private volatile boolean closed;

    private record Rotation(String previous, String current, Instant at) {
    }

    private FaultInjectingTokenProxy(URI upstream) throws IOException {
        this.upstreamHost = upstream.getHost();
        this.upstreamPort = upstream.getPort();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (!InetAddress.getByName(upstreamHost).isLoopbackAddress()) {
            throw new IllegalArgumentException("the proxy forwards to loopback addresses only, not " + upstreamHost);
        }
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(loopback, 0), 512);
        this.baseUrl = "http://127.0.0.1:" + serverSocket.getLocalPort();
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "fault-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy that forwards to the given loopback base URL (scheme and host:port; the path is the caller's). */
    public static FaultInjectingTokenProxy start(String upstreamBaseUrl) {
        try {
            return new FaultInjectingTokenProxy(URI.create(upstreamBaseUrl));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start FaultInjectingTokenProxy", e);
        }
    }

    /** A proxy in front of a strict token server. */
    public static FaultInjectingTokenProxy inFrontOf(StrictTokenServer server) {
        return start(server.baseUrl());
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The token URL of the given server, reached through this proxy. */
    public String tokenUrl(StrictTokenServer server) {
        return baseUrl + server.tokenPath();
    }

    /** The clock that stamps {@link #calls()} and computes HTTP-date Retry-After values. */
    public FaultInjectingTokenProxy clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Accept the immediately previous refresh token for this long (wall clock of {@link #clock(Clock)}) after a rotation
     * the proxy relayed. Zero (the default) is strict rotation.
     */
    public FaultInjectingTokenProxy gracePeriod(Duration grace) {
        this.gracePeriod = Objects.requireNonNull(grace, "grace");
        return this;
    }

    /** The next {@code times} calls get this fault; queued faults come before {@link #failAlways(Fault)}. */
    public void failNext(int times, Fault fault) {
        synchronized (lock) {
            for (int i = 0; i < times; i++) {
                queued.addLast(fault);
            }
        }
    }

    /** Every call gets this fault until {@link #heal()}. */
    public void failAlways(Fault fault) {
        synchronized (lock) {
            always = fault;
        }
    }

    /** No more faults: calls are forwarded. */
    public void heal() {
        synchronized (lock) {
            queued.clear();
            always = null;
        }
    }

    /** Every request received, in arrival order. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public int callCount() {
        return calls.size();
    }

    /** Requests that reached the upstream server. */
    public int forwardedCount() {
        return forwarded.get();
    }

    /** How often the previous refresh token was accepted within the grace period. */
    public int graceUses() {
        return graceUses.get();
    }

    /** Body bytes written by endless, huge and trickling faults (what the client let through before it stopped). */
    public long faultBodyBytesSent() {
        return faultBodyBytesSent.get();
    }

    public void resetFaultBodyBytes() {
        faultBodyBytesSent.set(0);
    }

    /** Connections turned away because {@value #MAX_CONNECTIONS} were open. */
    public int refusedConnections() {
        return refusedConnections.get();
    }

    /**
     * Waits until no request has been handled for {@code quiet} (a request whose client died may still be on its way
     * upstream, and the server may still rotate for it).
     *
     * @return true when quiet within the timeout
     */
    public boolean awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = System.nanoTime();
        int lastCalls = calls.size();
        while (System.nanoTime() - quietSince < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
            if (handling.get() > 0 || calls.size() != lastCalls) {
                lastCalls = calls.size();
                quietSince = System.nanoTime();
            }
        }
        return true;
    }

    /** Whether this refresh token was rotated away less than the grace period ago and is still the previous one. */
    public boolean acceptsViaGrace(String refreshToken) {
        synchronized (lock) {
            Rotation rotation = rotations.get(refreshToken);
            return rotation != null && withinGrace(rotation);
        }
    }

    /** Whether a relayed answer ever rotated this refresh token away (strict servers refuse it from then on). */
    public boolean wasRotatedAway(String refreshToken) {
        synchronized (lock) {
            return rotatedAway.contains(refreshToken);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        workers.shutdownNow();
        try {
            acceptor.join(2000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- connections

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(socket);
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                refusedConnections.incrementAndGet();
                sockets.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
            client.setTcpNoDelay(true);
            InputStream in = new java.io.BufferedInputStream(client.getInputStream());
            OutputStream out = new java.io.BufferedOutputStream(client.getOutputStream());
            while (!closed) {
                Request request = Request.read(in);
                if (request == null) {
                    return; // the client closed an idle keep-alive connection
                }
                Fault fault;
                synchronized (lock) {
                    fault = queued.pollFirst();
                    if (fault == null) {
                        fault = always;
                    }
                }
                // recorded on arrival: a test that sees its call fail (a timeout, say) finds it counted
                calls.add(new Call(request.method, request.path, clock.instant(),
                                   fault == null ? "forwarded" : fault.name));
                boolean keepOpen;
                handling.incrementAndGet();
                try {
                    keepOpen = fault == null ? forward(request, out, null) : inject(fault, request, client, in, out);
                } finally {
                    handling.decrementAndGet();
                }
                if (!keepOpen) {
                    return;
                }
            }
        } catch (IOException e) {
            // client gone, reset, or idle timeout: nothing to do
        } finally {
            sockets.remove(client);
        }
    }

    /** @return whether the connection stays open for the next request */
    private boolean inject(Fault fault, Request request, Socket client, InputStream in, OutputStream out)
            throws IOException {
        switch (fault.kind) {
            case RESPOND -> {
                Map<String, String> headers = new LinkedHashMap<>(fault.headers);
                if (fault.retryAfterAsDate != null) {
                    headers.put("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME
                            .format(clock.instant().plus(fault.retryAfterAsDate).atOffset(ZoneOffset.UTC)));
                }
                writeHead(out, fault.status, fault.contentType, headers, fault.body.length, false);
                out.write(fault.body);
                out.flush();
                if (fault.body.length > 64 * 1024) {
                    faultBodyBytesSent.addAndGet(fault.body.length);
                }
                return true;
            }
            case HANG -> {
                waitForClientToLeave(client, in, fault.max);
                return false;
            }
            case CLOSE_BEFORE_RESPONSE -> {
                return false;
            }
            case RESET_BEFORE_RESPONSE -> {
                client.setSoLinger(true, 0);
                return false;
            }
            case CLOSE_MID_RESPONSE, RESET_MID_RESPONSE -> {
                writeHead(out, 200, fault.contentType, Map.of(), fault.body.length, false);
                out.write(fault.body, 0, fault.body.length / 2);
                out.flush();
                if (fault.kind == Fault.Kind.RESET_MID_RESPONSE) {
                    client.setSoLinger(true, 0);
                }
                return false;
            }
            case CLOSE_MID_BODY_WITHOUT_LENGTH -> {
                writeHead(out, 200, fault.contentType, Map.of("Connection", "close"), -1, false);
                out.write(fault.body, 0, fault.body.length / 2);
                out.flush();
                return false;
            }
            case ENDLESS_BODY -> {
                endless(out, fault);
                return false;
            }
            case TRICKLE -> {
                trickle(out, fault);
                return false;
            }
            case FORWARD_THEN_MUTATE -> {
                return forward(request, out, fault);
            }
            case FORWARD_THEN_DROP -> {
                forward(request, OutputStream.nullOutputStream(), fault);
                return false;
            }
            default -> throw new IllegalStateException("unknown fault " + fault.kind);
        }
    }

    private void waitForClientToLeave(Socket client, InputStream in, Duration max) throws IOException {
        long deadline = System.nanoTime() + (max == null ? Duration.ofSeconds(10) : max).toNanos();
        client.setSoTimeout(50);
        byte[] sink = new byte[512];
        while (!closed && System.nanoTime() < deadline) {
            try {
                if (in.read(sink) < 0) {
                    return; // the client timed out and closed
                }
            } catch (SocketTimeoutException e) {
                // still there; keep hanging
            }
        }
    }

    private void endless(OutputStream out, Fault fault) throws IOException {
        writeHead(out, 200, fault.contentType, Map.of(), -1, true);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        byte[] start = "{\"access_token\":\"at-endless\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, chunk, 0, start.length);
        long deadline = System.nanoTime() + fault.max.toNanos();
        long cap = 256L * 1024 * 1024;
        long sent = 0;
        boolean first = true;
        try {
            while (!closed && System.nanoTime() < deadline && sent < cap) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sent += chunk.length;
                faultBodyBytesSent.addAndGet(chunk.length);
                if (first) {
                    java.util.Arrays.fill(chunk, 0, start.length, (byte) ' ');
                    first = false;
                }
                sleep(fault.interval);
            }
        } catch (IOException e) {
            // the client stopped reading and closed: that is what a capped client does
        }
    }

    private void trickle(OutputStream out, Fault fault) throws IOException {
        writeHead(out, 200, fault.contentType, Map.of(), fault.body.length, false);
        long deadline = System.nanoTime() + fault.max.toNanos();
        try {
            for (int i = 0; i < fault.body.length && !closed && System.nanoTime() < deadline; i++) {
                out.write(fault.body[i]);
                out.flush();
                faultBodyBytesSent.incrementAndGet();
                sleep(fault.interval);
            }
        } catch (IOException e) {
            // the client gave up
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeHead(OutputStream out, int status, String contentType, Map<String, String> headers,
                                  long contentLength, boolean chunked) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
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

    // ---------------------------------------------------------------- forwarding

    /**
     * Sends the request upstream on a fresh connection and relays (or mutates, or drops) the answer.
     *
     * @return whether the client connection stays open
     */
    private boolean forward(Request request, OutputStream out, Fault fault) throws IOException {
        byte[] body = applyGrace(request);
        Response response;
        try (Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
            upstream.setSoTimeout(15_000);
            OutputStream up = upstream.getOutputStream();
            StringBuilder head = new StringBuilder(request.method).append(' ').append(request.target).append(" HTTP/1.1\r\n");
            request.headers.forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection")
                        .contains(lower)) {
                    values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
                }
            });
            head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("Connection: close\r\n\r\n");
            up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();
            forwarded.incrementAndGet();
            response = Response.read(new java.io.BufferedInputStream(upstream.getInputStream()));
        }
        String sentRefreshToken = refreshTokenOf(request, body);
        recordRotation(sentRefreshToken, response);
        byte[] answer = response.body;
        if (fault != null && fault.kind == Fault.Kind.FORWARD_THEN_MUTATE) {
            JsonNode node = JSON.readTree(answer);
            if (node instanceof ObjectNode object) {
                answer = JSON.writeValueAsBytes(fault.mutation.apply(object));
            }
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status).append(' ').append(response.reason)
                .append("\r\n");
        response.headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "date").contains(lower)) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
            }
        });
        head.append("Content-Length: ").append(answer.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(answer);
        out.flush();
        return true;
    }

    /** Swaps the previous refresh token for the current one within the grace period; returns the body to send. */
    private byte[] applyGrace(Request request) {
        Duration grace = gracePeriod;
        if (grace.isZero()) {
            return request.body;
        }
        String sent = refreshTokenOf(request, request.body);
        synchronized (lock) {
            Rotation rotation = sent == null ? null : rotations.get(sent);
            if (rotation == null || !withinGrace(rotation)) {
                return request.body;
            }
            graceUses.incrementAndGet();
            return replaceRefreshToken(request, sent, rotation.current);
        }
    }

    private boolean withinGrace(Rotation rotation) {
        return clock.instant().isBefore(rotation.at.plus(gracePeriod));
    }

    private void recordRotation(String sent, Response response) {
        if (sent == null || response.status != 200) {
            return;
        }
        try {
            JsonNode node = JSON.readTree(response.body);
            JsonNode issued = node == null ? null : node.get("refresh_token");
            if (issued != null && issued.isTextual() && !issued.asText().equals(sent)) {
                synchronized (lock) {
                    // the token rotated away two generations ago is no longer the previous one: no grace for it
                    String older = previousOf.remove(sent);
                    if (older != null) {
                        rotations.remove(older);
                    }
                    rotations.put(sent, new Rotation(sent, issued.asText(), clock.instant()));
                    previousOf.put(issued.asText(), sent);
                    if (rotatedAway.size() < 100_000) {
                        rotatedAway.add(sent);
                    }
                }
            }
        } catch (IOException e) {
            // not JSON: no rotation to track
        }
    }

    private static String refreshTokenOf(Request request, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (isForm(request)) {
            for (String pair : text.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && "refresh_token".equals(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8))) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            for (String field : List.of("refresh_token", "refreshToken")) {
                if (node != null && node.hasNonNull(field)) {
                    return node.get(field).asText();
                }
            }
        } catch (IOException e) {
            // neither form nor JSON
        }
        return null;
    }

    private static byte[] replaceRefreshToken(Request request, String from, String to) {
        String text = new String(request.body, StandardCharsets.UTF_8);
        if (isForm(request)) {
            text = text.replace("refresh_token=" + URLEncoder.encode(from, StandardCharsets.UTF_8),
                                "refresh_token=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
        } else {
            text = text.replace("\"" + from + "\"", "\"" + to + "\"");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isForm(Request request) {
        String type = request.header("content-type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---------------------------------------------------------------- HTTP/1.1 parsing (just enough)

    private static final class Request {
        final String method;
        final String target;
        final String path;
        final Map<String, List<String>> headers;
        final byte[] body;

        private Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
            this.method = method;
            this.target = target;
            int q = target.indexOf('?');
            this.path = q < 0 ? target : target.substring(0, q);
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** The next request on the connection, or null when the client closed it before sending one. */
        static Request read(InputStream in) throws IOException {
            String line = readLine(in, true);
            if (line == null) {
                return null;
            }
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                throw new IOException("bad request line");
            }
            Map<String, List<String>> headers = readHeaders(in);
            byte[] body = readBody(in, headers, MAX_REQUEST_BYTES, false);
            return new Request(parts[0], parts[1], headers, body);
        }
    }

    private static final class Response {
        final int status;
        final String reason;
        final Map<String, List<String>> headers;
        final byte[] body;

        private Response(int status, String reason, Map<String, List<String>> headers, byte[] body) {
            this.status = status;
            this.reason = reason;
            this.headers = headers;
            this.body = body;
        }

        static Response read(InputStream in) throws IOException {
            String line = readLine(in, false);
            String[] parts = line.split(" ", 3);
            if (parts.length < 2) {
                throw new IOException("bad status line");
            }
            Map<String, List<String>> headers = readHeaders(in);
            return new Response(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers,
                                readBody(in, headers, MAX_UPSTREAM_RESPONSE_BYTES, true));
        }
    }

    private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int total = 0;
        String line;
        while (!(line = readLine(in, false)).isEmpty()) {
            total += line.length();
            if (total > 64 * 1024) {
                throw new IOException("headers too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static byte[] readBody(InputStream in, Map<String, List<String>> headers, int max, boolean toEof)
            throws IOException {
        String length = null;
        String encoding = null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("content-length")) {
                length = e.getValue().get(0);
            } else if (e.getKey().equalsIgnoreCase("transfer-encoding")) {
                encoding = e.getValue().get(0);
            }
        }
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in, false);
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!readLine(in, false).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                if (body.size() + n > max) {
                    throw new IOException("body too large");
                }
                body.write(in.readNBytes(n));
                readLine(in, false);
            }
        }
        if (length != null) {
            long n = Long.parseLong(length.trim());
            if (n > max) {
                throw new IOException("body too large");
            }
            byte[] body = in.readNBytes((int) n);
            if (body.length != n) {
                throw new IOException("body cut short");
            }
            return body;
        }
        if (toEof) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw new IOException("body too large");
            }
            return body;
        }
        return new byte[0];
    }

    /** A CRLF-terminated ISO-8859-1 line without the CRLF; null at EOF before any byte when allowed. */
    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketException e) {
                if (eofAllowed && sb.length() == 0) {
                    return null; // reset while idle
                }
                throw e;
            }
            if (b < 0) {
                if (eofAllowed && sb.length() == 0) {
                    return null;
                }
                throw new IOException("connection closed mid-line");
            }
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() > 16 * 1024) {
                throw new IOException("line too long");
            }
            sb.append((char) b);
        }
    }
}
