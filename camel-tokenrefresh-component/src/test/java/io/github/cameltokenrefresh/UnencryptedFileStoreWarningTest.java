package io.github.cameltokenrefresh;

import java.nio.file.Path;

import io.github.cameltokenrefresh.testing.LogCapture;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file store without storeEncryptionKey says so once per directory, at WARN, as the first provider using it starts
 * (the records hold refresh tokens in clear, owner-only); with a key it says nothing. The token endpoint is in memory: no socket.
 */
class UnencryptedFileStoreWarningTest {

    private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final String WARNING = "keeps refresh tokens unencrypted on disk";

    @TempDir
    Path storeDir;

    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    private String startLog(String extra) throws Exception {
        InMemoryTokenEndpoint.install(context);
        TokenRefreshComponent component = new TokenRefreshComponent();
        component.getConfiguration().setStoreDirectory(storeDir.toString());
        context.addComponent("tokenrefresh", component);
        TestContexts.addRoute(context, "direct:a", "tokenrefresh:partner?tokenUrl=https://auth.example.com/token"
                                                   + "&clientId=c&clientSecret=s&refreshToken=rt-0" + extra);
        // a second provider on the same directory: the store is one, so is its warning
        TestContexts.addRoute(context, "direct:b", "tokenrefresh:crm?tokenUrl=https://auth.example.com/token"
                                                   + "&clientId=c&clientSecret=s&refreshToken=rt-1" + extra);
        try (LogCapture log = new LogCapture()) {
            context.start();
            return log.text();
        }
    }

    @Test
    void withoutAKeyTheStoreWarnsOnceNamingTheOption() throws Exception {
        String log = startLog("");
        // distinct lines: the capture may see one event through two logger configurations
        assertEquals(1, log.lines().filter(l -> l.contains(WARNING)).distinct().count(), log);
        assertTrue(log.contains("WARN") && log.contains("storeEncryptionKey") && log.contains(storeDir.toString()), log);
    }

    @Test
    void withAKeyItSaysNothing() throws Exception {
        assertFalse(startLog("&storeEncryptionKey=" + KEY).contains(WARNING));
    }
}
