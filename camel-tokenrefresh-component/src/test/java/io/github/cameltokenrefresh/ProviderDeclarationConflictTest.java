package io.github.cameltokenrefresh;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two endpoints declaring one provider: differently, the route fails to start naming the differing options (never
 * their values); alike, with different endpoint options, both start.
 */
class ProviderDeclarationConflictTest extends ConfigurationFailures {

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
}
