package io.github.cameltokenrefresh;

import java.util.Map;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.TokenErrorResponseException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each documented dialect against a server that rejects anything off its wire format; the decorated exchange then
 * calls the server's resource endpoint through Camel HTTP, which accepts only the tokens it issued.
 */
class DialectWireFormatIT extends TokenServerTestSupport {

    private void start(String tokenRefreshUri) throws Exception {
        context = TestContexts.context(storeDir);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(tokenRefreshUri).to(server.resourceUrl());
            }
        });
        context.start();
    }

    private Exchange callResource() {
        ProducerTemplate template = context.createProducerTemplate();
        Exchange result = template.request("direct:call", e -> {
        });
        if (result.getException() != null) {
            throw new AssertionError("call failed", result.getException());
        }
        return result;
    }

    private void assertDecoratedAndAccepted(Exchange result) {
        assertEquals(200, result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertEquals("Bearer " + server.issuedAccessTokens().get(0),
                     result.getMessage().getHeader("Authorization", String.class));
        assertEquals(1, server.tokenCalls());
        assertEquals(1, server.resourceCalls());
        assertEquals(0, server.unauthorizedResourceCalls());
        assertTrue(server.rejections().isEmpty(), () -> "server rejected: " + server.rejections());
    }

    @Test
    void oauth2WithBasicClientAuthentication() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("my-client", "s3cret+/=").addRefreshToken("rt-1");
        start("tokenrefresh:generic?tokenUrl=" + server.tokenUrl()
              + "&clientId=my-client&clientSecret=RAW(s3cret+/=)&refreshToken=rt-1");

        assertDecoratedAndAccepted(callResource());
        StrictTokenServer.RecordedRequest request = server.tokenRequests().get(0);
        assertTrue(request.header("content-type").startsWith("application/x-www-form-urlencoded"));
        assertTrue(request.body().contains("grant_type=refresh_token"));
    }

    @Test
    void oauth2WithClientCredentialsInBody() throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("my-client", "s3cret").clientAuthInBody(true)
                .addRefreshToken("rt-1");
        start("tokenrefresh:generic?tokenUrl=" + server.tokenUrl()
              + "&clientId=my-client&clientSecret=s3cret&clientAuthentication=post&refreshToken=rt-1");

        assertDecoratedAndAccepted(callResource());
        assertEquals(null, server.tokenRequests().get(0).header("authorization"));
    }

    @Test
    void newsletter2goPresetWithAuthKey() throws Exception {
        server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey("bXlrZXk6bXlzZWNyZXQ=").addRefreshToken("rt-n2g");
        start("tokenrefresh:n2g?preset=newsletter2go&tokenUrl=" + server.tokenUrl()
              + "&authKey=RAW(bXlrZXk6bXlzZWNyZXQ=)&refreshToken=rt-n2g");

        assertDecoratedAndAccepted(callResource());
        StrictTokenServer.RecordedRequest request = server.tokenRequests().get(0);
        assertEquals("Basic bXlrZXk6bXlzZWNyZXQ=", request.header("authorization"));
        assertTrue(request.body().contains("\"grant_type\":\"https://nl2go.com/jwt\""), request.body());
    }

    @Test
    void newsletter2goLibraryGrantTypeIsOneOption() throws Exception {
        server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey("a2V5")
                .acceptGrantTypes(StrictTokenServer.NEWSLETTER2GO_LIBRARY_GRANT_TYPE).addRefreshToken("rt-n2g");
        start("tokenrefresh:n2g?preset=newsletter2go&tokenUrl=" + server.tokenUrl()
              + "&authKey=a2V5&refreshToken=rt-n2g&grantType=https://nl2go.com/jwt_refresh");

        assertDecoratedAndAccepted(callResource());
    }

    @Test
    void newsletter2goExtraFieldsAreReadable() throws Exception {
        server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey("a2V5").addRefreshToken("rt-n2g");
        context = TestContexts.started(storeDir, "tokenrefresh:n2g?preset=newsletter2go&operation=token&tokenUrl="
                                                 + server.tokenUrl() + "&authKey=a2V5&refreshToken=rt-n2g");

        Exchange result = context.createProducerTemplate().request("direct:call", e -> {
        });
        assertEquals(server.issuedAccessTokens().get(0), result.getMessage().getBody(String.class));
        Map<?, ?> fields = result.getMessage().getHeader(TokenRefreshConstants.ADDITIONAL_FIELDS, Map.class);
        assertEquals("awtfn5jn", fields.get("account_id"));
        assertEquals("user", fields.get("type"));
        assertEquals("bearer", result.getMessage().getHeader(TokenRefreshConstants.TOKEN_TYPE));
    }

    @Test
    void aweberPresetForm() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("aw-client", "aw-secret").addRefreshToken("rt-aw");
        start("tokenrefresh:aweber?preset=aweber&tokenUrl=" + server.tokenUrl()
              + "&clientId=aw-client&clientSecret=aw-secret&refreshToken=rt-aw");

        assertDecoratedAndAccepted(callResource());
    }

    @Test
    void aweberQueryParametersAsTheirPageShows() throws Exception {
        server = StrictTokenServer.start(Dialect.AWEBER).clientCredentials("aw-client", "aw-secret").addRefreshToken("rt-aw");
        start("tokenrefresh:aweber?preset=aweber&encoding=query&tokenUrl=" + server.tokenUrl()
              + "&clientId=aw-client&clientSecret=aw-secret&refreshToken=rt-aw");

        assertDecoratedAndAccepted(callResource());
        assertTrue(server.tokenRequests().get(0).query().contains("grant_type=refresh_token"));
    }

    @Test
    void partnerApiByOptionsAlone() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).partnerId(42).addRefreshToken("rt-partner");
        start("tokenrefresh:partner?tokenUrl=" + server.tokenUrl()
              + "&encoding=json&refreshTokenField=refreshToken&grantTypeLocation=header&grantTypeField=grantType"
              + "&clientAuthentication=none&header.partnerId=42&refreshToken=rt-partner");

        assertDecoratedAndAccepted(callResource());
        StrictTokenServer.RecordedRequest request = server.tokenRequests().get(0);
        assertEquals("42", request.header("partnerId"));
        assertEquals("refresh_token", request.header("grantType"));
        assertEquals("{\"refreshToken\":\"rt-partner\"}", request.body());
    }

    @Test
    void wrongDialectIsRefusedWithTypedError() throws Exception {
        // the Newsletter2Go server wants JSON; a form body is refused, and the refusal is a typed, explained error
        server = StrictTokenServer.start(Dialect.NEWSLETTER2GO).authKey("a2V5").addRefreshToken("rt-n2g");
        start("tokenrefresh:n2g?preset=newsletter2go&encoding=form&tokenUrl=" + server.tokenUrl()
              + "&authKey=a2V5&refreshToken=rt-n2g");

        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> context.createProducerTemplate().requestBody("direct:call", ""));
        TokenErrorResponseException error = assertInstanceOf(TokenErrorResponseException.class, e.getCause());
        assertEquals(400, error.getStatusCode());
        assertEquals("invalid_request", error.getError());
        assertTrue(error.getMessage().contains("tokenrefresh:n2g"), error.getMessage());
        assertEquals(1, server.rejections().size());
        assertEquals(0, server.resourceCalls());
    }
}
