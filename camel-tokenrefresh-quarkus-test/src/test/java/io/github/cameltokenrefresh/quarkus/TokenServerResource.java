package io.github.cameltokenrefresh.quarkus;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The strict token server (RFC 6749 dialect) for the Quarkus application, started before it. */
public class TokenServerResource implements QuarkusTestResourceLifecycleManager {

    static volatile StrictTokenServer server;

    @Override
    public Map<String, String> start() {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("quarkus-client", "quarkus-secret-41c9")
                .addRefreshToken("rt-quarkus-0");
        try {
            return Map.of("tokenserver.token-url", server.tokenUrl(),
                          "tokenserver.resource-url", server.resourceUrl(),
                          "tokenserver.store-dir", Files.createTempDirectory("tokenrefresh-quarkus").toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        server.close();
    }
}
