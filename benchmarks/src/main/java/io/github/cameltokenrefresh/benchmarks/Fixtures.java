package io.github.cameltokenrefresh.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/** Camel contexts and token servers as the harness uses them; everything on loopback, stores in temp directories. */
final class Fixtures {

    static final String CLIENT_ID = "test-client";
    static final String CLIENT_SECRET = "test-secret";

    private Fixtures() {
    }

    /** A context whose tokenrefresh component may call the local http:// token server and stores under storeDir. */
    static DefaultCamelContext context(Path storeDir) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName("bench");
        TokenRefreshComponent component = new TokenRefreshComponent();
        component.getConfiguration().setInsecureHttp(true);
        component.getConfiguration().setStoreDirectory(storeDir.toString());
        context.addComponent("tokenrefresh", component);
        return context;
    }

    /** The RFC 6749 dialect server (form body, Basic client auth, rotating refresh tokens) with one refresh token. */
    static StrictTokenServer oauth2Server(String refreshToken) {
        return StrictTokenServer.start(StrictTokenServer.Dialect.OAUTH2).clientCredentials(CLIENT_ID, CLIENT_SECRET)
                .addRefreshToken(refreshToken);
    }

    /** tokenrefresh endpoint URI defining provider {@code name} against the server (default preset oauth2). */
    static String provider(String name, StrictTokenServer server, String refreshToken, String extra) {
        return "tokenrefresh:" + name + "?tokenUrl=" + server.tokenUrl() + "&clientId=" + CLIENT_ID + "&clientSecret="
               + CLIENT_SECRET + (refreshToken == null ? "" : "&refreshToken=" + refreshToken)
               + (extra == null || extra.isEmpty() ? "" : "&" + extra);
    }

    /** Routes direct:refreshDue to {@code uri} (operation=refreshDue), starts the context, gives its template. */
    static ProducerTemplate startWithRefreshDue(CamelContext context, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:refreshDue").to(uri);
            }
        });
        context.start();
        return context.createProducerTemplate();
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files; the OS cleans up
        }
    }

    static void stopQuietly(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // shutting down
                }
            }
        }
    }
}
