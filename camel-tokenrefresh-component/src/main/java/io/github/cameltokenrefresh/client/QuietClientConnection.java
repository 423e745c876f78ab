package io.github.cameltokenrefresh.client;

import java.net.Socket;

import javax.net.ssl.SSLSocket;

import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.util.Timeout;

/**
 * An HTTP/1.1 client connection without Apache HttpClient's header and wire logging. Token calls carry the refresh
 * token and client secret in headers and body, and their answers carry the new tokens; HttpClient's own connection
 * prints all of that at DEBUG on {@code org.apache.hc.client5.http.headers} and {@code .wire}. Token calls use this
 * connection so that no logging configuration can expose them.
 */
final class QuietClientConnection extends DefaultBHttpClientConnection implements ManagedHttpClientConnection {

    private Timeout socketTimeout = Timeout.ZERO_MILLISECONDS;

    QuietClientConnection(Http1Config config) {
        super(config);
    }

    @Override
    public void bind(Socket socket) throws java.io.IOException {
        super.bind(socket);
        socketTimeout = Timeout.ofMilliseconds(socket.getSoTimeout());
    }

    @Override
    public void bind(SSLSocket sslSocket, Socket socket) throws java.io.IOException {
        super.bind(sslSocket, socket);
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
    public void passivate() {
        super.setSocketTimeout(Timeout.ZERO_MILLISECONDS);
    }

    @Override
    public void activate() {
        super.setSocketTimeout(socketTimeout);
    }
}
