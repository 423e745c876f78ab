package io.github.cameltokenrefresh.internal.wire;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactory;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends token calls through a Camel HTTP endpoint, so proxies, TLS ({@code SSLContextParameters}) and the other
 * Camel HTTP options apply as users know them. Only non-secret options go into the endpoint URI, which Camel shows
 * in logs; the refresh token and credentials travel in the exchange only.
 * <p>
 * Stopping is safe for a refresh under way: once stopping, no new token call starts ({@link
 * TokenClientStoppedException}, which does not pause the endpoint), and the calls already sent get their answer before
 * the producer and its connections close, so a rotated refresh token reaches the store. The endpoint is this client's
 * own, not in the context's endpoint registry: the context stops its registered endpoints (closing their connections)
 * before the components, and so before this provider.
 */
public class CamelHttpTokenClient extends ServiceSupport implements TokenClient {

    /** A token response is a few hundred bytes; anything past this is not a token response. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private final CamelContext camelContext;
    private final URI tokenUrl;
    private final Map<String, Object> httpOptions;
    private final SSLContextParameters sslContextParameters;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final int connections;

    private volatile HttpEndpoint endpoint;
    private volatile Producer producer;
    /** Guards the two below: calls start only while open, and stopping waits for those in flight. */
    private final Object calls = new Object();
    private boolean accepting;
    private int inFlight;

    /**
     * @param connections how many token calls may be open at once: the provider's refresh concurrency
     */
    public CamelHttpTokenClient(CamelContext camelContext, URI tokenUrl, Map<String, Object> httpOptions,
                                SSLContextParameters sslContextParameters, Duration connectTimeout,
                                Duration responseTimeout, int connections) {
        this.camelContext = camelContext;
        this.tokenUrl = tokenUrl;
        this.httpOptions = new LinkedHashMap<>(httpOptions);
        this.sslContextParameters = sslContextParameters;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.connections = connections;
    }

    /** The Camel HTTP endpoint URI used for token calls (no secrets in it). */
    public String getEndpointUri() {
        return endpoint == null ? null : endpoint.getEndpointUri();
    }

    @Override
    protected void doStart() throws Exception {
        Map<String, Object> options = new LinkedHashMap<>(httpOptions);
        // the status is ours to interpret; a redirect of a POST carrying a refresh token is never followed blindly
        options.put("throwExceptionOnFailure", "false");
        options.put("followRedirects", "false");
        String base = tokenUrl.toString();
        String uri = base + (base.contains("?") ? "&" : "?") + URISupport.createQueryString(options);
        // created, not looked up: a registered endpoint would be stopped by the context before this client
        Component http = camelContext.getComponent(tokenUrl.getScheme().toLowerCase(Locale.ROOT));
        Endpoint resolved = http == null ? null : http.createEndpoint(camelContext.resolvePropertyPlaceholders(uri));
        if (!(resolved instanceof HttpEndpoint)) {
            throw new IllegalArgumentException("tokenUrl must be an http or https URL, was " + tokenUrl);
        }
        HttpEndpoint endpoint = (HttpEndpoint) resolved;
        this.endpoint = endpoint;
        endpoint.setClientConnectionManager(quietConnectionManager());
        // HttpClient would otherwise repeat a POST on 429/503 by itself, after sleeping Retry-After, and a repeated
        // refresh can burn a rotating refresh token: retries are the token source's decision, with its backoff
        HttpClientConfigurer userConfigurer = endpoint.getHttpClientConfigurer();
        endpoint.setHttpClientConfigurer(builder -> {
            if (userConfigurer != null) {
                userConfigurer.configureHttpClient(builder);
            }
            builder.disableAutomaticRetries();
        });
        ServiceHelper.startService(endpoint);
        Producer started = endpoint.createProducer();
        ServiceHelper.startService(started);
        synchronized (calls) {
            producer = started;
            accepting = true;
        }
    }

    /**
     * Refuses new token calls, waits for those in flight (at most their own deadline: connect plus response timeout),
     * then closes the producer and the endpoint with its connections.
     */
    @Override
    protected void doStop() throws Exception {
        long deadline = System.nanoTime() + connectTimeout.plus(responseTimeout).plusSeconds(1).toNanos();
        synchronized (calls) {
            accepting = false;
            long left;
            while (inFlight > 0 && (left = deadline - System.nanoTime()) > 0) {
                calls.wait(Math.max(1, left / 1_000_000));
            }
        }
        ServiceHelper.stopAndShutdownServices(producer, endpoint);
        producer = null;
    }

    private PoolingHttpClientConnectionManager quietConnectionManager() throws Exception {
        SSLContext sslContext = sslContextParameters != null
                ? sslContextParameters.createSSLContext(camelContext) : SSLContexts.createDefault();
        @SuppressWarnings("deprecation")
        PoolingHttpClientConnectionManagerBuilder builder = PoolingHttpClientConnectionManagerBuilder.create()
                .setSSLSocketFactory(new SSLConnectionSocketFactory(sslContext, HttpsSupport.getDefaultHostnameVerifier()));
        return builder
                .setConnectionFactory(socket -> {
                    QuietClientConnection connection = new QuietClientConnection(Http1Config.DEFAULT, MAX_RESPONSE_BYTES);
                    if (socket != null) {
                        connection.bind(socket);
                    }
                    return connection;
                })
                .setMaxConnPerRoute(connections)
                .setMaxConnTotal(connections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeout.toMillis()))
                        .setSocketTimeout(Timeout.ofMilliseconds(responseTimeout.toMillis()))
                        .build())
                .build();
    }

    @Override
    public TokenResponse send(TokenRequest request) throws IOException {
        Producer sending;
        synchronized (calls) {
            if (!accepting) {
                throw new TokenClientStoppedException("the token client of " + tokenUrl + " is stopped or stopping:"
                                                      + " no new token call");
            }
            sending = producer;
            inFlight++;
        }
        try {
            return call(sending, request);
        } finally {
            synchronized (calls) {
                if (--inFlight == 0) {
                    calls.notifyAll();
                }
            }
        }
    }

    /** One call on a producer that stays open until it returns, answer body read. */
    private TokenResponse call(Producer sending, TokenRequest request) throws IOException {
        Exchange exchange = sending.getEndpoint().createExchange();
        Message in = exchange.getIn();
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        request.headers().forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, request.contentType());
        URI url = request.url() == null ? tokenUrl : request.url();
        if (request.url() != null) {
            in.setHeader(Exchange.HTTP_URI, url.toString()); // the account's own token URL, on this client's pool
        }
        if (request.query() != null) {
            String own = url.getRawQuery();
            in.setHeader(Exchange.HTTP_QUERY, own == null ? request.query() : own + "&" + request.query());
        }
        in.setBody(request.body());
        try {
            sending.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            throw failure instanceof IOException ? (IOException) failure
                    : new IOException("token call failed: " + failure.getClass().getSimpleName(), failure);
        }
        Message out = exchange.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new TokenResponse(status == null ? 0 : status,
                out.getHeader(Exchange.CONTENT_TYPE, String.class),
                out.getHeader("Retry-After", String.class),
                out.getHeader("Location", String.class),
                readBody(out),
                out.getHeader("DPoP-Nonce", String.class));
    }

    private static byte[] readBody(Message message) throws IOException {
        Object body = message.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[]) {
            byte[] bytes = (byte[]) body;
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new IOException("token response larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return bytes;
        }
        try (InputStream in = message.getBody(InputStream.class)) {
            if (in == null) {
                return new byte[0];
            }
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new IOException("token response larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return bytes;
        }
    }

    @Override
    public String toString() {
        return "CamelHttpTokenClient[" + tokenUrl + "]";
    }
}
