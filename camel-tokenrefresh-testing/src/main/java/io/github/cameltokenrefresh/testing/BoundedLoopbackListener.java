package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Accepts connections on a free loopback port and serves each on a thread of its own, at most {@code maxConnections}
 * at a time: one more is closed at once and counted. {@link #close()} closes the listening socket and every open
 * connection, and waits a little for the threads to end.
 */
final class BoundedLoopbackListener implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final ThreadPoolExecutor workers;
    private final Consumer<Socket> connectionHandler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean closed;

    /** @param connectionHandler serves one connection until it ends; the listener closes the socket afterwards */
    BoundedLoopbackListener(String threadName, int maxConnections, Consumer<Socket> connectionHandler)
            throws IOException {
        this.connectionHandler = connectionHandler;
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, maxConnections, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, threadName + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    boolean isClosed() {
        return closed;
    }

    /** Connections turned away because the maximum was open. */
    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(serverSocket);
        open.forEach(BoundedLoopbackListener::closeQuietly);
        workers.shutdownNow();
        try {
            acceptor.join(2000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(socket);
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                refused.incrementAndGet();
                open.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try {
            connectionHandler.accept(socket);
        } finally {
            open.remove(socket);
            closeQuietly(socket);
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
