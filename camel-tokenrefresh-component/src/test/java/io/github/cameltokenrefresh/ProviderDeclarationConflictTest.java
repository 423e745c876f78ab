package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.util.List;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.cameltokenrefresh.ConfigurationFailures.AUTH_KEY;
import static io.github.cameltokenrefresh.ConfigurationFailures.CLIENT_SECRET;
import static io.github.cameltokenrefresh.ConfigurationFailures.OTHER_SECRET;
import static io.github.cameltokenrefresh.ConfigurationFailures.REFRESH_TOKEN;
import static io.github.cameltokenrefresh.ConfigurationFailures.SECRET_OPTIONS;
import static io.github.cameltokenrefresh.ConfigurationFailures.TOKEN_URL;
import static io.github.cameltokenrefresh.ConfigurationFailures.assertMessageNames;
import static io.github.cameltokenrefresh.ConfigurationFailures.assertNoSecrets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two endpoints declaring one provider: differently, the route fails to start naming the differing options (never
 * their values); alike, with different endpoint options, both start.
 */
class ProviderDeclarationConflictTest {

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
    void twoEndpointsConfiguringOneProviderDifferentlyNameTheDifferingOptions() {
        Throwable failure = failsToStart(true,
                "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=c" + SECRET_OPTIONS,
                "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=d&clientSecret=" + OTHER_SECRET + "&connectTimeout=5s");

        String message = assertMessageNames(failure, List.of("tokenrefresh:p", "configured differently"));
        assertTrue(message.contains("clientId") && message.contains("clientSecret") && message.contains("connectTimeout"),
                   message);
        // options both endpoints agree on are not listed
        assertFalse(message.contains("tokenUrl]") || message.contains("tokenUrl,") || message.contains("[tokenUrl"),
                    message);
        assertNoSecrets(failure);
    }

    @Test
    void twoEndpointsDifferingInAuthKeyAndHeaderNameTheOptionsNotTheValues() {
        Throwable failure = failsToStart(true,
                "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&authKey=" + AUTH_KEY + "&header.partnerId=1&refreshToken="
                                               + REFRESH_TOKEN,
                "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&authKey=" + OTHER_SECRET + "&header.partnerId=2");

        String message = assertMessageNames(failure, List.of("configured differently", "authKey", "headers"));
        assertFalse(message.contains("partnerId=1") || message.contains("partnerId=2"), message);
        assertNoSecrets(failure);
    }

    @Test
    void twoEndpointsWithTheSameProviderOptionsAndDifferentEndpointOptionsAreFine() throws Exception {
        context = TestContexts.context(storeDir);
        String provider = "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=c&clientSecret=" + CLIENT_SECRET;
        TestContexts.addRoute(context, "direct:a", provider + "&refreshToken=" + REFRESH_TOKEN);
        TestContexts.addRoute(context, "direct:b", provider + "&account=other&refreshToken=" + OTHER_SECRET
                                                   + "&operation=token&headerName=X-Token");
        context.start();
        assertTrue(context.isStarted());
        assertEquals(2, context.getRoutes().size());
    }


    private Throwable failsToStart(boolean insecureHttp, String... uris) {
        context = TestContexts.context(storeDir);
        return ConfigurationFailures.failsToStart(context, insecureHttp, uris);
    }
}
