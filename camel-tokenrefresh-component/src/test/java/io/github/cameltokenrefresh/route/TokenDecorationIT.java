package io.github.cameltokenrefresh.route;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshConstants;
import io.github.cameltokenrefresh.TokenServerTestSupport;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decorating puts the token header on the message and nothing on the exchange; a 401 finds the provider, account and
 * header again from the token the message carries: the current or the previous one of its token source.
 */
class TokenDecorationIT extends TokenServerTestSupport {

    private static final String PROVIDER = "tokenrefresh:aweber?preset=aweber&clientId=c&clientSecret=s&refreshToken=rt-0"
                                           + "&tokenUrl=";

    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("c", "s").addRefreshToken("rt-0")
                .addRefreshToken("rt-other").rotateRefreshTokens(true);
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:call", PROVIDER + server.tokenUrl());
        TestContexts.addRoute(context, "direct:refresh", "tokenrefresh:aweber?operation=refresh");
        TestContexts.addRoute(context, "direct:custom", "tokenrefresh:aweber?headerName=X-Api-Token&headerPrefix=");
        context.start();
        template = context.createProducerTemplate();
    }

    private Exchange call(String uri) {
        Exchange exchange = template.request(uri, e -> {
        });
        assertNull(exchange.getException());
        return exchange;
    }

    private Exchange carrying(String header, String value) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(header, value);
        return exchange;
    }

    @Test
    void decoratingPutsTheHeaderOnTheMessageAndNothingOnTheExchange() {
        Exchange exchange = call("direct:call");

        assertEquals("Bearer " + server.issuedAccessTokens().get(0), exchange.getMessage().getHeader("Authorization"));
        assertEquals(java.util.Set.of("Authorization"), exchange.getMessage().getHeaders().keySet());
        assertTrue(exchange.getProperties().isEmpty(), () -> "exchange properties: " + exchange.getProperties().keySet());
    }

    @Test
    void theDecorationIsFoundFromTheCurrentAndThePreviousTokenButNotAnOlderOne() {
        Exchange first = call("direct:call");
        TokenDecoration decoration = TokenDecoration.of(first);
        assertNotNull(decoration);
        assertEquals("aweber", decoration.account().provider());
        assertEquals("default", decoration.account().account());
        assertEquals("Authorization", decoration.getHeaderName());
        assertEquals(server.issuedAccessTokens().get(0), decoration.accessTokenOn(first.getMessage()));

        Exchange second = call("direct:refresh");
        assertNotEquals(first.getMessage().getHeader("Authorization"), second.getMessage().getHeader("Authorization"));
        assertNotNull(TokenDecoration.of(first), "an exchange in flight when the token rotated still finds its source");
        assertNotNull(TokenDecoration.of(second));

        Exchange third = call("direct:refresh");
        assertNull(TokenDecoration.of(first), "two rotations ago: no longer indexed");
        assertNotNull(TokenDecoration.of(second));
        assertNotNull(TokenDecoration.of(third));
        assertEquals(3, server.tokenCalls());
    }

    @Test
    void aTokenThatIsNotOursOrNoHeaderIsNoDecoration() {
        call("direct:call");

        assertNull(TokenDecoration.of(carrying("Authorization", "Bearer not-one-of-ours")));
        assertNull(TokenDecoration.of(carrying("Authorization", server.issuedAccessTokens().get(0))),
                   "the registered header carries the prefix");
        assertNull(TokenDecoration.of(carrying("X-Other", "Bearer " + server.issuedAccessTokens().get(0))),
                   "only headers a tokenrefresh producer writes are read");
        assertNull(TokenDecoration.of(new DefaultExchange(context)));
    }

    @Test
    void aCustomHeaderWithoutPrefixIsFound() {
        Exchange exchange = call("direct:custom");

        assertEquals(server.issuedAccessTokens().get(0), exchange.getMessage().getHeader("X-Api-Token"));
        TokenDecoration decoration = TokenDecoration.of(exchange);
        assertNotNull(decoration);
        assertEquals("X-Api-Token", decoration.getHeaderName());
        assertEquals(server.issuedAccessTokens().get(0), decoration.accessTokenOn(exchange.getMessage()));
    }

    @Test
    void anotherAccountNamedByHeaderIsFoundAsThatAccount() {
        call("direct:call");
        template.send("direct:refresh", e -> {
            e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, "other");
            e.getMessage().setHeader(TokenRefreshConstants.REFRESH_TOKEN, "rt-other");
        });
        Exchange other = template.request("direct:call", e -> e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, "other"));

        assertEquals("Bearer " + server.issuedAccessTokens().get(1), other.getMessage().getHeader("Authorization"));
        assertEquals("other", TokenDecoration.of(other).account().account());
        assertEquals("default", TokenDecoration.of(call("direct:call")).account().account(),
                     "the endpoint's own account after a call for another one");
    }

    @Test
    void aStoppedProviderLeavesNothingIndexedAndNoTokenInToString() {
        Exchange exchange = call("direct:call");
        String accessToken = server.issuedAccessTokens().get(0);
        TokenDecorations decorations = TokenDecorations.find(context);
        for (Object shown : new Object[] { decorations, decorations.accessTokens(), TokenDecoration.of(exchange) }) {
            assertFalse(shown.toString().contains(accessToken), shown.getClass().getSimpleName());
        }

        context.stop();

        assertNull(TokenDecoration.of(exchange));
        assertNull(decorations.accessTokens().find(accessToken));
    }
}
