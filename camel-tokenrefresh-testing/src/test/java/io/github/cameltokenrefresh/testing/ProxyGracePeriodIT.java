package io.github.cameltokenrefresh.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the grace period {@link FaultInjectingTokenProxy} emulates in front of a strictly rotating server: the
 * immediately previous refresh token is accepted within the grace period, by the proxy's clock, and sent on as the
 * current one; a token two generations old, or one past the grace period, is refused by the server as usual.
 */
class ProxyGracePeriodIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-15T10:00:00Z"));
    private final ProxyTestClient client = new ProxyTestClient();
    private StrictTokenServer server;
    private FaultInjectingTokenProxy proxy;

    @AfterEach
    void stop() {
        proxy.close();
        server.close();
        client.close();
    }

    private void start(Dialect dialect, Duration grace) {
        server = StrictTokenServer.start(dialect).addRefreshToken("rt-1").addRefreshToken("rt-other");
        proxy = FaultInjectingTokenProxy.inFrontOf(server).clock(clock).gracePeriod(grace);
    }

    private String refresh(String refreshToken, int expectedStatus) throws Exception {
        HttpResponse<String> response = server.dialect() == Dialect.PARTNER
                ? client.partnerRefresh(proxy, server, refreshToken)
                : client.refresh(proxy, server, refreshToken);
        assertEquals(expectedStatus, response.statusCode(), response.body());
        return expectedStatus == 200 ? JSON.readTree(response.body()).get("refresh_token").asText() : null;
    }

    @Test
    void thePreviousRefreshTokenIsAcceptedOnceWithinTheGracePeriodAsTheCurrentOne() throws Exception {
        start(Dialect.OAUTH2, Duration.ofSeconds(30));
        String second = refresh("rt-1", 200);
        assertTrue(proxy.acceptsViaGrace("rt-1"));

        String third = refresh("rt-1", 200); // as if the answer carrying `second` had been lost

        assertEquals(1, proxy.graceUses());
        assertTrue(server.tokenRequests().get(1).body().endsWith("refresh_token=" + second),
                   "the server was sent the current refresh token");
        assertFalse(proxy.acceptsViaGrace("rt-1"), "two generations old now");
        refresh("rt-1", 400);
        assertTrue(proxy.acceptsViaGrace(second), "the previous one is now " + second);
        assertEquals(third, server.currentRefreshToken());
    }

    @Test
    void pastTheGracePeriodThePreviousRefreshTokenIsRefused() throws Exception {
        start(Dialect.OAUTH2, Duration.ofSeconds(30));
        refresh("rt-1", 200);
        clock.advance(Duration.ofSeconds(30));

        assertFalse(proxy.acceptsViaGrace("rt-1"));
        refresh("rt-1", 400);
        assertEquals(0, proxy.graceUses());
    }

    @Test
    void withoutAGracePeriodRotationIsStrictButStillTracked() throws Exception {
        start(Dialect.OAUTH2, Duration.ZERO);
        refresh("rt-1", 200);

        assertFalse(proxy.acceptsViaGrace("rt-1"));
        assertTrue(proxy.wasRotatedAway("rt-1"));
        assertFalse(proxy.wasRotatedAway("rt-other"));
        refresh("rt-1", 400);
        assertEquals(0, proxy.graceUses());
    }

    @Test
    void eachRefreshTokenChainHasItsOwnGrace() throws Exception {
        start(Dialect.OAUTH2, Duration.ofSeconds(30));
        refresh("rt-1", 200);
        refresh("rt-other", 200);

        refresh("rt-1", 200);
        refresh("rt-other", 200);

        assertEquals(2, proxy.graceUses());
    }

    @Test
    void jsonBodiesWithTheirOwnFieldNameGetTheGracePeriodToo() throws Exception {
        start(Dialect.PARTNER, Duration.ofSeconds(30));
        String second = refresh("rt-1", 200);

        refresh("rt-1", 200);

        assertEquals(1, proxy.graceUses());
        assertEquals("{\"refreshToken\":\"" + second + "\"}", server.tokenRequests().get(1).body());
    }
}
