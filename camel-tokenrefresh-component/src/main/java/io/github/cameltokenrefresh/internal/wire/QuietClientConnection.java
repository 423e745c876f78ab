package io.github.cameltokenrefresh.internal.wire;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

import javax.net.ssl.SSLSocket;

import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * An HTTP/1.1 client connection without Apache HttpClient's header and wire logging. Token calls carry the refresh
 * token and client secret in headers and body, and their answers carry the new tokens; HttpClient's own connection
 * prints all of that at DEBUG on {@code org.apache.hc.client5.http.headers} and {@code .wire}. Token calls use this
 * connection so that no logging configuration can expose them.
 * <p>
 * It also bounds every answer at the socket, before Camel HTTP buffers it: the whole answer (status line, headers and
 * body) must arrive within the socket timeout of the request (the {@code responseTimeout}), however slowly it
 * trickles, and a body larger than {@code maxBodyBytes} closes the connection at once.
 */
final class QuietClientConnection extends DefaultBHttpClientConnection implements ManagedHttpClientConnection {

    private final long maxBodyBytes;
    private Timeout socketTimeout = Timeout.ZERO_MILLISECONDS;
    /** When the answer to the request under way must be complete (System.nanoTime()), or 0 between requests. */
    private volatile long deadline;

    QuietClientConnection(Http1Config config, long maxBodyBytes) {
        super(config);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void bind(Socket socket) throws IOException {
        super.bind(new DeadlineSocketHolder(socket));
        socketTimeout = Timeout.ofMilliseconds(socket.getSoTimeout());
    }

    @Override
    public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
        super.bind(new DeadlineSocketHolder(sslSocket, socket));
        socketTimeout = Timeout.ofMilliseconds(sslSocket.getSoTimeout());
    }

    @Override
    public Socket getSocket() {
        SocketHolder holder = getSocketHolder();
        return holder == null ? null : holder.getSocket();
    }

    @Override
    public void setSocketTimeout(Timeout timeout) {
        super.setSocketTimeout(timeout);
        socketTimeout = timeout;
    }

    @Override
    public void sendRequestHeader(ClassicHttpRequest request) throws HttpException, IOException {
        Timeout t = socketTimeout;
        deadline = t == null || t.isDisabled() ? 0 : System.nanoTime() + t.toNanoseconds();
        super.sendRequestHeader(request);
    }

    @Override
    protected InputStream createContentInputStream(long len, SessionInputBuffer buffer, InputStream inputStream) {
        if (len > maxBodyBytes) {
            close(CloseMode.IMMEDIATE);
            return new FailingInputStream(len);
        }
        return new CappedInputStream(super.createContentInputStream(len, buffer, inputStream));
    }

    @Override
    public void passivate() {
        deadline = 0;
        super.setSocketTimeout(Timeout.ZERO_MILLISECONDS);
    }

    @Override
    public void activate() {
        super.setSocketTimeout(socketTimeout);
    }

    private IOException tooLarge() {
        close(CloseMode.IMMEDIATE); // never drain the rest: it may not end
        return new IOException("token response larger than " + maxBodyBytes + " bytes");
    }

    /** Reads from the socket with what is left of the deadline as the read timeout. */
    private final class DeadlineSocketHolder extends SocketHolder {

        DeadlineSocketHolder(Socket socket) {
            super(socket);
        }

        DeadlineSocketHolder(SSLSocket sslSocket, Socket base) {
            super(sslSocket, base);
        }

        @Override
        protected InputStream getInputStream(Socket socket) throws IOException {
            InputStream in = super.getInputStream(socket);
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    limit(socket);
                    return super.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    limit(socket);
                    return super.read(b, off, len);
                }
            };
        }

        private void limit(Socket socket) throws IOException {
            long d = deadline;
            if (d == 0) {
                return;
            }
            long left = d - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("the token endpoint's answer took longer than the response timeout");
            }
            long leftMillis = Math.max(1, (left + 999_999) / 1_000_000);
            int configured = socket.getSoTimeout();
            socket.setSoTimeout((int) Math.min(configured == 0 ? Integer.MAX_VALUE : configured, leftMillis));
        }
    }

    private final class CappedInputStream extends FilterInputStream {
        private long count;

        CappedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > maxBodyBytes) {
                throw tooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (count += n) > maxBodyBytes) {
                throw tooLarge();
            }
            return n;
        }
    }

    private final class FailingInputStream extends InputStream {
        private final long declared;

        FailingInputStream(long declared) {
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            throw new IOException("token response of " + declared + " bytes is larger than " + maxBodyBytes + " bytes");
        }
    }
}
