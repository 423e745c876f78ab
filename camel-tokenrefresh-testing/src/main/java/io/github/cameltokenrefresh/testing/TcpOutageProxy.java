package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a server that tests must not stop themselves (a shared database): it forwards
 * bytes both ways until {@link #cut()}, which closes every connection and stops listening, so clients see their
 * connections broken and new ones refused, as when the server goes down; {@link #resume()} listens again on the same
 * port. Knows nothing of the protocol; never logs what passes through it.
 */
public final class TcpOutageProxy implements AutoCloseable {

    private final InetSocketAddress upstream;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-outage-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket listener; // guarded by this; null while cut
    private boolean closed;

    private TcpOutageProxy(InetSocketAddress upstream) {
        this.upstream = upstream;
        this.port = listen(0);
    }

    /** A proxy on a free loopback port, forwarding to {@code host:port}. */
    public static TcpOutageProxy inFrontOf(String host, int port) {
        return new TcpOutageProxy(new InetSocketAddress(host, port));
    }

    /** The loopback port clients connect to; the same after {@link #resume()}. */
    public int port() {
        return port;
    }

    /** Connections accepted since start: a client that took none did not touch the server. */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** Closes every connection and refuses new ones until {@link #resume()}. */
    public synchronized void cut() {
        if (listener != null) {
            closeQuietly(listener);
            listener = null;
        }
        open.forEach(TcpOutageProxy::closeQuietly);
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void resume() {
        if (listener == null && !closed) {
            listen(port);
        }
    }

    public synchronized boolean isCut() {
        return listener == null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
        threads.shutdownNow();
    }

    private synchronized int listen(int onPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
            listener = socket;
            threads.execute(() -> accept(socket));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + onPort, e);
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // cut or closed
            }
            connections.incrementAndGet();
            open.add(client);
            Socket server = new Socket();
            open.add(server);
            try {
                server.connect(upstream, 5000);
                if (socket.isClosed()) {
                    throw new IOException("cut while connecting");
                }
                threads.execute(() -> pump(client, server));
                threads.execute(() -> pump(server, client));
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or was cut: close both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
