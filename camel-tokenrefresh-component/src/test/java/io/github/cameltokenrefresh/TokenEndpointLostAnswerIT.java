package io.github.cameltokenrefresh;

import java.nio.file.Files;
import java.time.Duration;

import io.github.cameltokenrefresh.testing.ProxyFault;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answer lost after the server rotated the refresh token: the account dies (the stored refresh token was rotated
 * away) unless the provider accepts the previous one within a grace period.
 */
class TokenEndpointLostAnswerIT extends TokenEndpointFaultsFixture {

    @Test
    void anAnswerLostAfterTheServerRotatedKillsTheAccountWithoutAGracePeriod() throws Exception {
        start();
        assertNullException(template.request("direct:refresh", e -> {
        }));
        byte[] recordBefore = Files.readAllBytes(recordFile());
        proxy.failNext(1, ProxyFault.forwardThenDrop()); // the server rotates; the connection dies before the answer
        TokenEndpointUnavailableException lostAnswer
                = assertInstanceOf(TokenEndpointUnavailableException.class, failure("direct:refresh"));
        assertEquals("unreachable", lostAnswer.getErrorType());
        assertEquals(2, server.successfulRefreshes(), "the server did refresh");
        assertArrayEquals(recordBefore, Files.readAllBytes(recordFile()), "nothing new arrived to be saved");

        // the stored refresh token is the rotated-away one: the same window as a crash before the save
        clock.advance(Duration.between(clock.instant(), status().nextAttemptAt()).plusMillis(1));
        InvalidGrantException dead = assertInstanceOf(InvalidGrantException.class, failure("direct:refresh"));
        assertTrue(dead.getMessage().contains("re-authorize"), dead.getMessage());
        assertEquals(TokenState.DEAD, status().state());
        seen.add(lostAnswer);
        seen.add(dead);
    }

    @Test
    void anAnswerLostAfterTheServerRotatedIsRecoveredWithinTheProvidersGracePeriod() throws Exception {
        proxy.gracePeriod(Duration.ofSeconds(30)); // the provider accepts the previous refresh token for 30 s
        start();
        assertNullException(template.request("direct:refresh", e -> {
        }));
        proxy.failNext(1, ProxyFault.forwardThenDrop());
        assertInstanceOf(TokenEndpointUnavailableException.class, failure("direct:refresh"));

        clock.advance(Duration.between(clock.instant(), status().nextAttemptAt()).plusMillis(1));
        Exchange next = template.request("direct:refresh", e -> {
        });
        assertNullException(next);
        assertEquals(1, proxy.graceUses());
        assertEquals(server.currentRefreshToken(), store().load(PROVIDER, "default").token().getRefreshToken());
        assertEquals(TokenState.FRESH, status().state());
    }
}
