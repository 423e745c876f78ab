package io.github.cameltokenrefresh;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Token calls over https honour the Camel way of configuring TLS: SSLContextParameters. */
class TlsTokenEndpointIT {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    private HttpsServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private Path keystore;
    private DefaultCamelContext context;

    @BeforeEach
    void startServer() throws Exception {
        keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), () -> "keytool failed");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/token", exchange -> {
            calls.incrementAndGet();
            byte[] body = "{\"access_token\":\"at-tls\",\"expires_in\":600,\"token_type\":\"bearer\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        server.stop(0);
    }

    private String tokenUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    @Test
    void trustsTheServerThroughSslContextParameters() throws Exception {
        KeyStoreParameters trust = new KeyStoreParameters();
        trust.setResource(keystore.toUri().toString());
        trust.setPassword("changeit");
        trust.setType("PKCS12");
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trust);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trustManagers);

        context = TestContexts.context(dir.resolve("store"));
        context.getRegistry().bind("tls", tls);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:secure?tokenUrl=" + tokenUrl()
                                                      + "&clientId=c&clientSecret=s&refreshToken=rt&sslContextParameters=#tls");
        context.start();

        String header = context.createProducerTemplate().request("direct:call", e -> {
        }).getMessage().getHeader("Authorization", String.class);
        assertEquals("Bearer at-tls", header);
        assertEquals(1, calls.get());
    }

    @Test
    void anUntrustedCertificateIsAnUnavailableEndpointNotASilentSuccess() throws Exception {
        context = TestContexts.context(dir.resolve("store"));
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:secure?tokenUrl=" + tokenUrl()
                                                      + "&clientId=c&clientSecret=s&refreshToken=rt");
        context.start();

        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> context.createProducerTemplate().requestBody("direct:call", ""));
        assertInstanceOf(TokenEndpointUnavailableException.class, e.getCause());
        assertEquals(0, calls.get());
    }
}
