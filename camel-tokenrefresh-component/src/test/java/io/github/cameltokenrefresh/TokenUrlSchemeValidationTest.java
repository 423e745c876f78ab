package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.cameltokenrefresh.ConfigurationFailures.SECRET_OPTIONS;
import static io.github.cameltokenrefresh.ConfigurationFailures.TOKEN_URL;
import static io.github.cameltokenrefresh.ConfigurationFailures.assertMessageNames;
import static io.github.cameltokenrefresh.ConfigurationFailures.assertNoSecrets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain-http token URL fails when the route starts unless insecureHttp allows it, naming both options and leaking
 * no secret; https starts.
 */
class TokenUrlSchemeValidationTest {

    @TempDir
    Path storeDir;

    private DefaultCamelContext context;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void plainHttpTokenUrlNeedsInsecureHttp() {
        Throwable failure = failsToStart(false, "tokenrefresh:p?tokenUrl=http://tokens.example.com/oauth/token&clientId=c"
                                                + SECRET_OPTIONS);

        assertMessageNames(failure, List.of("option tokenUrl", "http://", "insecureHttp"));
        assertNoSecrets(failure);
    }

    @Test
    void plainHttpTokenUrlIsCheckedCaseInsensitively() {
        Throwable failure = failsToStart(false, "tokenrefresh:p?tokenUrl=HTTP://tokens.example.com/oauth/token&clientId=c"
                                                + SECRET_OPTIONS);

        assertMessageNames(failure, List.of("option tokenUrl", "insecureHttp"));
        assertNoSecrets(failure);
    }

    @Test
    void httpsTokenUrlWithoutInsecureHttpIsAccepted() throws Exception {
        // the control case for the two above: the same context and URI with https starts
        context = TestContexts.context(storeDir);
        TestContexts.component(context).getConfiguration().setInsecureHttp(false);
        TestContexts.addRoute(context, "direct:ok", "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=c" + SECRET_OPTIONS);
        context.start();
        assertTrue(context.isStarted());
        assertEquals(Set.of("p"), TestContexts.component(context).getProviders().keySet());
    }

    private Throwable failsToStart(boolean insecureHttp, String... uris) {
        context = TestContexts.context(storeDir);
        return ConfigurationFailures.failsToStart(context, insecureHttp, uris);
    }
}
