package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.ProviderStoppedException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The context stops while a refresh on the provider's pool waits for the token endpoint's answer (SIGTERM during a
 * token call): the answer, a rotated refresh token, is saved and the next start uses it; no token call starts once
 * the provider is stopping, and that refusal neither reads as "unreachable" nor pauses the endpoint. Before, the
 * HTTP producer was stopped first and the refresh died on a NullPointerException reported as unreachable.
 */
class ShutdownDuringRefreshIT {

    @TempDir
    Path storeDir;

    private StrictTokenServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private DefaultCamelContext start() throws Exception {
        DefaultCamelContext context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:aweber?preset=aweber&tokenUrl=" + server.tokenUrl()
                                                      + "&clientId=c&clientSecret=s&refreshToken=rt-bootstrap");
        TestContexts.addRoute(context, "direct:other", "tokenrefresh:aweber?account=other&refreshToken=rt-other");
        context.start();
        return context;
    }

    @Test
    void aRefreshInFlightAtShutdownSavesItsAnswerAndNoNewTokenCallStarts() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-bootstrap")
                .addRefreshToken("rt-other").rotateRefreshTokens(true).holdTokenCalls();
        DefaultCamelContext context = start();
        Provider provider = (Provider) TestContexts.component(context).tokens("aweber");

        // a refresh on the provider's pool, its token call held at the server: the refresh token is spent now
        Future<Token> inFlight = provider.executor().submit(() -> provider.account("default").refresh());
        await().atMost(Duration.ofSeconds(30)).until(() -> server.heldTokenCalls() == 1);

        Thread stopper = new Thread(context::stop, "context-stop");
        stopper.start();
        // the stop reached the provider and waits there for the call in flight
        await().atMost(Duration.ofSeconds(30)).until(provider::isStopping);

        TokenRefreshException refused = assertThrows(TokenRefreshException.class,
                                                     () -> provider.account("other").refresh());
        assertTrue(refused instanceof ProviderStoppedException, () -> "a typed refusal: " + refused);
        assertEquals("stopped", refused.getErrorType());
        assertEquals(1, server.tokenCalls(), "no token call started after the stop began");
        assertTrue(stopper.isAlive(), "the stop waits for the call in flight");

        server.releaseTokenCalls(1);
        Token saved = inFlight.get(30, TimeUnit.SECONDS);
        stopper.join(30_000);
        assertTrue(context.isStopped());

        String rotated = server.currentRefreshToken();
        assertEquals(rotated, saved.getRefreshToken(), "the refresh got the server's answer");
        assertEquals(rotated, new FileTokenStore(storeDir).load("aweber", "default").token().getRefreshToken(),
                     "the rotated refresh token was saved before the provider stopped");
        assertNull(provider.tokenEndpointPausedUntil(), "no endpoint pause");
        AccountStatus other = provider.status("other");
        assertEquals("stopped", other.lastErrorType(), "recorded as a stop, not as unreachable");
        assertNull(provider.status("default").lastErrorType());

        // the next start refreshes with the saved, rotated refresh token (the bootstrap one is spent)
        server.releaseTokenCalls(1);
        DefaultCamelContext next = start();
        try {
            TestContexts.component(next).tokens("aweber").account("default").refresh();
            assertEquals(2, server.successfulRefreshes());
            assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
        } finally {
            next.stop();
        }
    }
}
