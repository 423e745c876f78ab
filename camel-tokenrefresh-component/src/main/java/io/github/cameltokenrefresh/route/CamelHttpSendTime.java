package io.github.cameltokenrefresh.route;

import java.net.URI;
import java.net.URISyntaxException;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SendTimeDecoration} on Camel HTTP ({@code http}, {@code https}, and what builds on them: {@code toD}, rest
 * producers): the components' {@code httpActivityListener}. Camel HTTP's client calls it for every request it sends
 * (after the endpoint URI, {@code CamelHttpUri}, {@code CamelHttpPath} and a rest producer's URL are resolved, and
 * again for each redirect it follows), on the caller's thread, with the exchange; and for every response.
 */
final class CamelHttpSendTime implements HttpActivityListener {

    private static final Logger LOG = LoggerFactory.getLogger(CamelHttpSendTime.class);

    private final SendTimeDecoration decoration;
    /** What the request this thread is sending got (Camel HTTP's client sends on the caller's thread). */
    private final ThreadLocal<SendTimeRejection[]> sent = ThreadLocal.withInitial(() -> new SendTimeRejection[1]);

    private CamelHttpSendTime(SendTimeDecoration decoration) {
        this.decoration = decoration;
    }

    static void attach(String name, Component component, SendTimeDecoration decoration) {
        HttpComponent http = (HttpComponent) component;
        if (http.getHttpActivityListener() == null) {
            http.setHttpActivityListener(new CamelHttpSendTime(decoration));
        } else if (!(http.getHttpActivityListener() instanceof CamelHttpSendTime)) {
            LOG.warn("The {} component has an httpActivityListener of its own: tokenrefresh does not decorate its calls"
                     + " as they are sent, nor keep a token header off calls outside a provider's apiBase", name);
        }
    }

    /** HTTP endpoints that exist already and have no listener (not started yet: their client is built as they start). */
    static void attachToEndpoints(CamelContext context, SendTimeDecoration decoration) {
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof HttpEndpoint http && http.getHttpActivityListener() == null) {
                http.setHttpActivityListener(new CamelHttpSendTime(decoration));
            }
        }
    }

    @Override
    public void onRequestSubmitted(Object source, Exchange exchange, HttpHost host, HttpRequest request,
                                   HttpEntity entity) {
        sent.get()[0] = decoration.onSend(exchange, new Request(request));
    }

    @Override
    public void onResponseReceived(Object source, Exchange exchange, HttpHost host, HttpResponse response,
                                   HttpEntity entity, long elapsed) {
        SendTimeRejection[] holder = sent.get();
        if (holder[0] != null && exchange != null && response.getCode() == UnauthorizedPredicate.UNAUTHORIZED) {
            exchange.setProperty(SendTimeRejection.PROPERTY, holder[0]);
        }
        holder[0] = null;
    }

    private record Request(HttpRequest request) implements SendTimeDecoration.OutgoingRequest {

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public URI url() {
            try {
                return request.getUri();
            } catch (URISyntaxException e) {
                return null;
            }
        }

        @Override
        public String header(String name) {
            Header header = request.getFirstHeader(name);
            return header == null ? null : header.getValue();
        }

        @Override
        public void setHeader(String name, String value) {
            request.setHeader(name, value);
        }

        @Override
        public void removeHeader(String name) {
            request.removeHeaders(name);
        }
    }

    @Override
    public String toString() {
        return "tokenrefresh send-time decoration";
    }
}
