package io.github.cameltokenrefresh;

import java.nio.file.Path;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture most tests share: a store directory, a strict token server and a Camel context, both stopped after each
 * test (after the test class's own {@code @AfterEach}, which JUnit runs first).
 */
public abstract class TokenServerTestSupport {

    @TempDir
    protected Path storeDir;

    protected StrictTokenServer server;
    protected DefaultCamelContext context;

    @AfterEach
    protected void stopContextAndServer() {
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
    }
}
