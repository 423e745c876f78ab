package io.github.cameltokenrefresh;

import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Java DSL twin of YamlUnauthorizedRedeliveryIT: each documented dialect recovers from a revoked token. */
class JavaUnauthorizedRedeliveryPerDialectIT extends TokenServerTestSupport {

    private void run(String providerUri) throws Exception {
        context = TestContexts.context(storeDir);
        context.addRoutes(new TokenRefreshRouteConfiguration("api-401"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeConfigurationId("api-401")
                        .to(providerUri)
                        .to(server.resourceUrl())
                        .removeHeader("Authorization");
            }
        });
        context.start();

        assertNull(context.createProducerTemplate().request("direct:call", e -> {
        }).getException());
        server.revokeAccessToken(server.issuedAccessTokens().get(0));

        Exchange second = context.createProducerTemplate().request("direct:call", e -> {
        });
        assertNull(second.getException(), () -> "redelivery failed: " + second.getException());
        assertEquals(200, second.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertNull(second.getMessage().getHeader("Authorization"), "the token does not travel on");
        assertEquals(2, server.tokenCalls());
        assertEquals(1, server.unauthorizedResourceCalls());
        assertEquals(3, server.resourceCalls());
    }

    @Test
    void newsletter2go() throws Exception {
        server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey("a2V5OnNlY3JldA==").addRefreshToken("rt-0");
        run("tokenrefresh:api?preset=newsletter2go&tokenUrl=" + server.tokenUrl()
            + "&authKey=RAW(a2V5OnNlY3JldA==)&refreshToken=rt-0");
    }

    @Test
    void aweber() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("aw-id", "aw-secret").addRefreshToken("rt-0");
        run("tokenrefresh:api?preset=aweber&tokenUrl=" + server.tokenUrl()
            + "&clientId=aw-id&clientSecret=aw-secret&refreshToken=rt-0");
    }

    @Test
    void partnerApi() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).partnerId(42).addRefreshToken("rt-0");
        run("tokenrefresh:api?tokenUrl=" + server.tokenUrl() + "&encoding=json&refreshTokenField=refreshToken"
            + "&grantTypeLocation=header&grantTypeField=grantType&clientAuthentication=none&header.partnerId=42"
            + "&refreshToken=rt-0");
    }
}
