package io.github.cameltokenrefresh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import com.nimbusds.jose.util.X509CertUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.github.cameltokenrefresh.internal.jose.TestKeys;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mTLS client authentication (RFC 8705 §2.2, self_signed_tls_client_auth) against an HTTPS server that requires a
 * client certificate and knows the client by its certificate's thumbprint; its access tokens are bound to that
 * certificate (§3), and the API call, made by camel-http with the same sslContextParameters, presents it.
 */
class MutualTlsClientAuthenticationIT extends SigningServerSupport {

    @Test
    void theClientCertificateAuthenticatesAndItsBoundTokenWorksOnTheApiCall() throws Exception {
        startServer();
        server.register("client-1", thumbprint(TestKeys.rsa().certificate()));

        startContext(tls("client-rsa.p12"), tls("client-rsa.p12"));

        Exchange answer = context.createProducerTemplate().request("direct:api", e -> {
        });
        assertNull(answer.getException());
        assertEquals("bound to " + thumbprint(TestKeys.rsa().certificate()), answer.getMessage().getBody(String.class));
        assertEquals("client-1", server.accepted.get(0).get("client_id"));
        assertTrue(server.refusals.isEmpty(), () -> "refused: " + server.refusals);
    }

    @Test
    void theBoundTokenPresentedOverAnotherCertificateIsRefused() throws Exception {
        startServer();
        server.register("client-1", thumbprint(TestKeys.rsa().certificate()));

        startContext(tls("client-rsa.p12"), tls("client-ec.p12"));

        Exchange answer = context.createProducerTemplate().request("direct:api", e -> {
        });
        HttpOperationFailedException refused = assertInstanceOf(HttpOperationFailedException.class, answer.getException());
        assertEquals(401, refused.getStatusCode());
    }

    @Test
    void aCertificateTheServerDoesNotKnowIsInvalidClient() throws Exception {
        startServer();
        server.register("client-1", thumbprint(TestKeys.ec().certificate()));

        startContext(tls("client-rsa.p12"), tls("client-rsa.p12"));

        Exchange answer = context.createProducerTemplate().request("direct:api", e -> {
        });
        assertTrue(TestContexts.messages(answer.getException()).contains("invalid_client"),
                   () -> TestContexts.messages(answer.getException()));
    }

    @Test
    void withoutAClientCertificateThereIsNoTlsSession() throws Exception {
        startServer();
        server.register("client-1", thumbprint(TestKeys.rsa().certificate()));
        SSLContextParameters trustOnly = tls("client-rsa.p12");
        trustOnly.setKeyManagers(null);

        context = TestContexts.context(dir.resolve("store"));
        context.getRegistry().bind("tokenTls", trustOnly);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                      + "&clientId=client-1&clientSecret=s&refreshToken=rt-0"
                                                      + "&sslContextParameters=#tokenTls");
        context.start();

        Exchange answer = context.createProducerTemplate().request("direct:call", e -> {
        });
        assertInstanceOf(TokenEndpointUnavailableException.class, answer.getException());
        assertTrue(server.accepted.isEmpty());
    }

    private void startServer() throws Exception {
        KeyStore serverKeys = KeyStore.getInstance(TestKeys.file("server.p12").toFile(), TestKeys.PASSWORD.toCharArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverKeys, TestKeys.PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        // self-signed client certificates (RFC 8705 §2.2): any certificate opens the session, the registered
        // thumbprint decides who the client is
        ssl.init(kmf.getKeyManagers(), new TrustManager[] { new AnyClientCertificate() }, null);
        server = StrictSigningTokenServer.mutualTls(ssl);
        server.server().createContext("/resource", this::resource);
    }

    /** The API: a Bearer token bound (cnf.x5t#S256) to the certificate of this TLS session, RFC 8705 §3. */
    private void resource(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String presented = StrictSigningTokenServer.thumbprint(((HttpsExchange) exchange).getSSLSession());
            String token = authorization == null ? "" : authorization.substring("Bearer ".length());
            String bound = server.certificateBindings.get(token);
            if (bound == null || !bound.equals(presented)) {
                StrictSigningTokenServer.answer(exchange, 401, "{\"error\":\"invalid_token\"}");
                return;
            }
            byte[] body = ("bound to " + bound).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void startContext(SSLContextParameters tokenTls, SSLContextParameters apiTls) throws Exception {
        context = TestContexts.context(dir.resolve("store"));
        context.getRegistry().bind("tokenTls", tokenTls);
        context.getRegistry().bind("apiTls", apiTls);
        String api = "https://127.0.0.1:" + server.server().getAddress().getPort() + "/resource?sslContextParameters=#apiTls";
        String tokens = "tokenrefresh:p?tokenUrl=" + server.tokenUrl() + "&clientAuthentication=self_signed_tls_client_auth"
                        + "&clientId=client-1&refreshToken=rt-0&sslContextParameters=#tokenTls";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:api").to(tokens).setHeader(Exchange.HTTP_METHOD, constant("GET")).to(api);
            }
        });
        context.start();
    }

    /** Trusts the test server; presents the client key of {@code keystore}. */
    private static SSLContextParameters tls(String keystore) {
        KeyStoreParameters keys = new KeyStoreParameters();
        keys.setResource(TestKeys.file(keystore).toUri().toString());
        keys.setPassword(TestKeys.PASSWORD);
        keys.setType("PKCS12");
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keys);
        keyManagers.setKeyPassword(TestKeys.PASSWORD);
        KeyStoreParameters trust = new KeyStoreParameters();
        trust.setResource(TestKeys.file("server.p12").toUri().toString());
        trust.setPassword(TestKeys.PASSWORD);
        trust.setType("PKCS12");
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trust);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setKeyManagers(keyManagers);
        tls.setTrustManagers(trustManagers);
        return tls;
    }

    private static String thumbprint(X509Certificate certificate) {
        return X509CertUtils.computeSHA256Thumbprint(certificate).toString();
    }

    private static final class AnyClientCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a server trust manager only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
