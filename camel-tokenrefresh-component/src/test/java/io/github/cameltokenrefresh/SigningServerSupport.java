package io.github.cameltokenrefresh;

import java.nio.file.Path;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the signed client authentication, mTLS and DPoP ITs share: the strict server written from RFC 7523, 8705 and
 * 9449 a test starts, the Camel context it starts, the store directory, both stopped after each test.
 */
abstract class SigningServerSupport {

    @TempDir
    Path dir;

    StrictSigningTokenServer server;
    DefaultCamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
    }
}
