package io.github.cameltokenrefresh.route;

import java.net.URI;
import java.net.URISyntaxException;

import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.apache.camel.Component;
import org.apache.camel.Exchange;
import org.apache.camel.component.vertx.http.DefaultVertxHttpBinding;
import org.apache.camel.component.vertx.http.VertxHttpBinding;
import org.apache.camel.component.vertx.http.VertxHttpComponent;
import org.apache.camel.component.vertx.http.VertxHttpEndpoint;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * {@link SendTimeDecoration} on {@code vertx-http}: the component's {@code vertxHttpBinding}, wrapping the one it had.
 * The request is checked once built (URI, {@code CamelHttpUri} and {@code CamelHttpPath} resolved, message headers
 * copied). A request carrying our token does not follow redirects: Vert.x would send the token on to the redirect's
 * host without asking the binding again. Vert.x sends asynchronously, so what a request got waits on the exchange for its answer. Loaded only when
 * a vertx-http component exists (camel-vertx-http is an optional dependency).
 */
final class VertxHttpSendTime implements VertxHttpBinding {

    /** The decoration a request got, kept on the exchange until its answer (a 401 moves it to the rejection). */
    private static final String SENT = "CamelTokenRefreshSendTimeSent";

    private final VertxHttpBinding delegate;
    private final SendTimeDecoration decoration;

    private VertxHttpSendTime(VertxHttpBinding delegate, SendTimeDecoration decoration) {
        this.delegate = delegate;
        this.decoration = decoration;
    }

    static void attach(Component component, SendTimeDecoration decoration) {
        VertxHttpComponent vertx = (VertxHttpComponent) component;
        VertxHttpBinding current = vertx.getVertxHttpBinding();
        if (!(current instanceof VertxHttpSendTime)) {
            vertx.setVertxHttpBinding(new VertxHttpSendTime(current != null ? current : new DefaultVertxHttpBinding(),
                                                            decoration));
        }
    }

    @Override
    public HttpRequest<Buffer> prepareHttpRequest(VertxHttpEndpoint endpoint, Exchange exchange) throws Exception {
        HttpRequest<Buffer> request = delegate.prepareHttpRequest(endpoint, exchange);
        Request outgoing = new Request(request);
        SendTimeRejection sent = decoration.onSend(exchange, outgoing);
        if (request.followRedirects() && decoration.carriesToken(outgoing)) {
            // Vert.x's web client copies the request's headers to the redirect's host, which this binding never sees:
            // a call carrying our token does not follow redirects (the 3xx comes back to the route)
            request.followRedirects(false);
        }
        if (sent != null) {
            exchange.setProperty(SENT, sent);
        } else {
            exchange.removeProperty(SENT);
        }
        return request;
    }

    @Override
    public void handleResponse(VertxHttpEndpoint endpoint, Exchange exchange,
                               AsyncResult<HttpResponse<Buffer>> result) throws Exception {
        Object sent = exchange.removeProperty(SENT);
        if (sent != null && result.succeeded()
            && result.result().statusCode() == UnauthorizedPredicate.UNAUTHORIZED) {
            exchange.setProperty(SendTimeRejection.PROPERTY, sent);
        }
        delegate.handleResponse(endpoint, exchange, result);
    }

    @Override
    public void populateRequestHeaders(VertxHttpEndpoint endpoint, Exchange exchange, HttpRequest<Buffer> request,
                                       HeaderFilterStrategy headerFilterStrategy) {
        delegate.populateRequestHeaders(endpoint, exchange, request, headerFilterStrategy);
    }

    @Override
    public void populateResponseHeaders(Exchange exchange, HttpResponse<Buffer> response,
                                        HeaderFilterStrategy headerFilterStrategy) {
        delegate.populateResponseHeaders(exchange, response, headerFilterStrategy);
    }

    @Override
    public Object processResponseBody(VertxHttpEndpoint endpoint, Exchange exchange, HttpResponse<Buffer> result,
                                      boolean exceptionOnly) throws Exception {
        return delegate.processResponseBody(endpoint, exchange, result, exceptionOnly);
    }

    @Override
    public Throwable handleResponseFailure(VertxHttpEndpoint endpoint, Exchange exchange, HttpResponse<Buffer> result)
            throws Exception {
        return delegate.handleResponseFailure(endpoint, exchange, result);
    }

    private record Request(HttpRequest<Buffer> request) implements SendTimeDecoration.OutgoingRequest {

        @Override
        public String method() {
            return request.method().name();
        }

        @Override
        public URI url() {
            boolean ssl = Boolean.TRUE.equals(request.ssl());
            String host = request.host();
            if (host == null) {
                return null;
            }
            try {
                return new URI((ssl ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                               + request.port() + request.uri());
            } catch (URISyntaxException e) {
                return null;
            }
        }

        @Override
        public String header(String name) {
            return request.headers().get(name);
        }

        @Override
        public void setHeader(String name, String value) {
            request.putHeader(name, value);
        }

        @Override
        public void removeHeader(String name) {
            request.headers().remove(name);
        }
    }

    @Override
    public String toString() {
        return "tokenrefresh send-time decoration over " + delegate;
    }
}
