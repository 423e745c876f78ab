package io.github.cameltokenrefresh.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 proxy in front of a token endpoint (usually a {@link StrictTokenServer}) that answers token calls
 * with injected {@link ProxyFault}s at the socket level: error statuses, {@code Retry-After}, a hang past the client's
 * timeout, a connection closed or reset before or in the middle of the answer, malformed or endless bodies.
 * <p>
 * A fault is answered by the proxy itself ({@link FaultPlayer}): the request never reaches the upstream server, so a
 * rotating refresh token is not consumed there. Two faults do reach it on purpose: {@link ProxyFault#forwardThenMutate}
 * (the server rotated, then the answer was spoiled on the way) and {@link ProxyFault#forwardThenDrop} (the server
 * rotated, the answer was lost). Without a fault, requests are forwarded unchanged and the answer relayed
 * ({@link UpstreamForwarder}).
 * <p>
 * {@link #gracePeriod(Duration)} emulates a provider that keeps accepting the previous refresh token for a while after
 * rotating it ({@link RefreshTokenGracePeriod}).
 * <p>
 * JDK only, loopback only, bounded: at most {@value #MAX_CONNECTIONS} connections at a time
 * ({@link BoundedLoopbackListener}), requests up to 1 MiB, every fault ends by itself, and {@link #close()} closes
 * every socket. Never logs anything: request bodies carry refresh tokens and client secrets.
 */
public final class FaultInjectingTokenProxy implements AutoCloseable {

    public static final int MAX_CONNECTIONS = 64;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** One request the proxy received: method, path, when (by the proxy's clock) and what was done with it. */
    public record Call(String method, String path, Instant at, String outcome) {
    }

    private volatile Clock clock = Clock.systemUTC();
    private final FaultSchedule schedule = new FaultSchedule();
    private final RefreshTokenGracePeriod gracePeriod = new RefreshTokenGracePeriod(() -> clock);
    private final UpstreamForwarder forwarder;
    private final FaultPlayer player;
    private final BoundedLoopbackListener listener;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger handling = new AtomicInteger();

    private FaultInjectingTokenProxy(URI upstream) throws IOException {
        if (!InetAddress.getByName(upstream.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("the proxy forwards to loopback addresses only, not " + upstream.getHost());
        }
        this.forwarder = new UpstreamForwarder(upstream.getPort(), gracePeriod);
        this.listener = new BoundedLoopbackListener("fault-proxy", MAX_CONNECTIONS, this::serve);
        this.player = new FaultPlayer(() -> clock, listener::isClosed);
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
        return "http://127.0.0.1:" + listener.port();
    }

    /** The token URL of the given server, reached through this proxy. */
    public String tokenUrl(StrictTokenServer server) {
        return baseUrl() + server.tokenPath();
    }

    /** The clock that stamps {@link #calls()}, computes HTTP-date Retry-After values and times the grace period. */
    public FaultInjectingTokenProxy clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Accept the immediately previous refresh token for this long (by {@link #clock(Clock)}) after a rotation the proxy
     * relayed. Zero (the default) is strict rotation.
     */
    public FaultInjectingTokenProxy gracePeriod(Duration grace) {
        gracePeriod.grace(grace);
        return this;
    }

    /** The next {@code times} calls get this fault; queued faults come before {@link #failAlways(ProxyFault)}. */
    public void failNext(int times, ProxyFault fault) {
        schedule.failNext(times, fault);
    }

    /** Every call gets this fault until {@link #heal()}. */
    public void failAlways(ProxyFault fault) {
        schedule.failAlways(fault);
    }

    /** No more faults: calls are forwarded. */
    public void heal() {
        schedule.heal();
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
        return forwarder.forwarded();
    }

    /** How often the previous refresh token was accepted within the grace period. */
    public int graceUses() {
        return gracePeriod.uses();
    }

    /** Body bytes written by endless, huge and trickling faults (what the client let through before it stopped). */
    public long faultBodyBytesSent() {
        return player.bodyBytesSent();
    }

    public void resetFaultBodyBytes() {
        player.resetBodyBytesSent();
    }

    /** Connections turned away because {@value #MAX_CONNECTIONS} were open. */
    public int refusedConnections() {
        return listener.refused();
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
        return gracePeriod.accepts(refreshToken);
    }

    /** Whether a relayed answer ever rotated this refresh token away (strict servers refuse it from then on). */
    public boolean wasRotatedAway(String refreshToken) {
        return gracePeriod.wasRotatedAway(refreshToken);
    }

    @Override
    public void close() {
        listener.close();
    }

    /** One client connection: requests in turn (keep-alive), each forwarded or answered with the next fault. */
    private void serve(Socket client) {
        try {
            client.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            boolean keepOpen = true;
            while (keepOpen && !listener.isClosed()) {
                ProxiedRequest request = ProxiedRequest.read(in);
                if (request == null) {
                    return; // the client closed an idle keep-alive connection
                }
                ProxyFault fault = schedule.next();
                // recorded on arrival: a test that sees its call fail (a timeout, say) finds it counted
                calls.add(new Call(request.method(), request.path(), clock.instant(),
                                   fault == null ? "forwarded" : fault.toString()));
                handling.incrementAndGet();
                try {
                    keepOpen = fault == null || fault.forwards()
                            ? forwarder.forward(request, out, fault)
                            : player.play(fault, client, in, out);
                } finally {
                    handling.decrementAndGet();
                }
            }
        } catch (IOException e) {
            // client gone, reset, or idle timeout: nothing to do
        }
    }
}
