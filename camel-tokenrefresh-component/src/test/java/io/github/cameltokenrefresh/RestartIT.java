package io.github.cameltokenrefresh;

import java.nio.file.Path;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new CamelContext over the same file store continues where the old one stopped. */
class RestartIT {

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
        String uri = "tokenrefresh:aweber?preset=aweber&tokenUrl=" + server.tokenUrl()
                     + "&clientId=c&clientSecret=s&refreshToken=rt-bootstrap";
        TestContexts.addRoute(context, "direct:call", uri);
        TestContexts.addRoute(context, "direct:refresh", uri + "&operation=refresh");
        context.start();
        return context;
    }

    private static String bearer(ProducerTemplate template) {
        return template.request("direct:call", e -> {
        }).getMessage().getHeader("Authorization", String.class);
    }

    @Test
    void restartContinuesWithTheRotatedRefreshTokenAndReusesAValidAccessToken() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-bootstrap")
                .rotateRefreshTokens(true);

        DefaultCamelContext first = start();
        ProducerTemplate template = first.createProducerTemplate();
        template.requestBody("direct:refresh", "");
        template.requestBody("direct:refresh", "");
        String lastHeader = bearer(template);
        first.stop();
        assertEquals(2, server.successfulRefreshes());
        // the configured bootstrap token is dead at the server now: only the stored, rotated one works

        DefaultCamelContext second = start();
        try {
            ProducerTemplate template2 = second.createProducerTemplate();
            assertEquals(lastHeader, bearer(template2), "the stored, still valid access token is reused");
            assertEquals(2, server.tokenCalls(), "no token call after restart while the stored token is valid");

            template2.requestBody("direct:refresh", "");
            assertEquals(3, server.successfulRefreshes(), "refreshed with the stored rotated refresh token");
            assertNotEquals(lastHeader, bearer(template2));
            assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
        } finally {
            second.stop();
        }
    }

    @Test
    void aReauthorizedBootstrapTokenReplacesADeadStoredOne() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-bootstrap")
                .rotateRefreshTokens(true);
        DefaultCamelContext first = start();
        first.createProducerTemplate().requestBody("direct:refresh", "");
        first.stop();

        // the stored refresh token is revoked; the user re-authorized and configured a new one
        server.revokeRefreshToken(server.currentRefreshToken());
        server.addRefreshToken("rt-bootstrap");
        DefaultCamelContext second = start();
        try {
            second.createProducerTemplate().requestBody("direct:refresh", "");
            assertEquals(2, server.successfulRefreshes());
        } finally {
            second.stop();
        }
    }
}
