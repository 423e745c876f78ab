package io.github.cameltokenrefresh;

import java.util.Map;
import java.util.Set;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.RefreshTokenMissingException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provider is configured once (one endpoint URI, a bean named after it, or component options) and referenced by name
 * from any number of routes, which then share its tokens; accounts keep separate token sets within one provider.
 */
class ProviderSharingIT extends TokenServerTestSupport {

    private ProducerTemplate template;

    /** Every option of the partner dialect except the refresh token. */
    private String partnerOptions() {
        return "tokenUrl=" + server.tokenUrl()
               + "&encoding=json&refreshTokenField=refreshToken&grantTypeLocation=header&grantTypeField=grantType"
               + "&clientAuthentication=none&header.partnerId=4711";
    }

    private String definingUri() {
        return "tokenrefresh:partner?" + partnerOptions() + "&refreshToken=rt-0";
    }

    private static RouteBuilder route(String from, String tokenRefreshUri, String resourceUrl) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to(tokenRefreshUri).to(resourceUrl);
            }
        };
    }

    private Exchange call(String uri) {
        return call(uri, Map.of());
    }

    private Exchange call(String uri, Map<String, Object> headers) {
        Exchange result = template.request(uri, e -> e.getMessage().setHeaders(new java.util.HashMap<>(headers)));
        if (result.getException() != null) {
            throw new AssertionError("call to " + uri + " failed", result.getException());
        }
        return result;
    }

    private static String bearer(Exchange exchange) {
        return exchange.getMessage().getHeader("Authorization", String.class);
    }

    /** Decorated with the token the server issued first, and the resource server accepted it. */
    private void assertAcceptedWithFirstToken(Exchange exchange) {
        assertEquals("Bearer " + server.issuedAccessTokens().get(0), bearer(exchange));
        assertEquals(200, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
    }

    private void assertOneTokenCallForTwoRoutes() {
        // the name-only route is the first to need a token
        Exchange b = call("direct:b");
        Exchange a = call("direct:a");
        Exchange again = call("direct:b");

        assertAcceptedWithFirstToken(b);
        assertAcceptedWithFirstToken(a);
        assertAcceptedWithFirstToken(again);
        assertEquals(1, server.tokenCalls(), "one token call for both routes");
        assertEquals(3, server.resourceCalls());
        assertEquals(0, server.unauthorizedResourceCalls());
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
        assertEquals(Set.of("partner"), TestContexts.component(context).getProviders().keySet());
    }

    @Test
    void nameOnlyRouteSharesTheTokenOfTheDefiningRoute() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        context.addRoutes(route("direct:a", definingUri(), server.resourceUrl()));
        context.addRoutes(route("direct:b", "tokenrefresh:partner", server.resourceUrl()));
        context.start();
        template = context.createProducerTemplate();

        assertOneTokenCallForTwoRoutes();
    }

    @Test
    void nameOnlyRouteAddedBeforeTheDefiningRoute() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        context.addRoutes(route("direct:b", "tokenrefresh:partner", server.resourceUrl()));
        context.addRoutes(route("direct:a", definingUri(), server.resourceUrl()));
        context.start();
        template = context.createProducerTemplate();

        assertOneTokenCallForTwoRoutes();
    }

    @Test
    void routesAddedToARunningContextDefiningRouteFirst() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        context.start();
        template = context.createProducerTemplate();
        context.addRoutes(route("direct:a", definingUri(), server.resourceUrl()));
        context.addRoutes(route("direct:b", "tokenrefresh:partner", server.resourceUrl()));

        assertOneTokenCallForTwoRoutes();
    }

    @Test
    void routesAddedToARunningContextNameOnlyRouteFirst() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        context.start();
        template = context.createProducerTemplate();
        // one RouteBuilder, as a user adding routes at runtime would write it
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:b").to("tokenrefresh:partner").to(server.resourceUrl());
                from("direct:a").to(definingUri()).to(server.resourceUrl());
            }
        });

        assertOneTokenCallForTwoRoutes();
    }

    @Test
    void aRouteReplacedWithChangedProviderOptionsRedefinesTheProvider() throws Exception {
        // what route reloading (camel.main.routes-reload-enabled, camel jbang --dev) does after an edit
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        context.start();
        template = context.createProducerTemplate();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").routeId("a").to(definingUri() + "&connectTimeout=5s").to(server.resourceUrl());
            }
        });
        assertAcceptedWithFirstToken(call("direct:a"));

        context.getRouteController().stopRoute("a");
        assertTrue(context.removeRoute("a"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").routeId("a").to(definingUri() + "&connectTimeout=6s").to(server.resourceUrl());
            }
        });

        // the provider is rebuilt from the new definition and takes the saved token from the store
        assertAcceptedWithFirstToken(call("direct:a"));
        assertEquals(1, server.tokenCalls());
        assertEquals(Set.of("partner"), TestContexts.component(context).getProviders().keySet());
    }

    @Test
    void providerDefinedAsABeanNamedAfterIt() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        TokenRefreshConfiguration partner = TestContexts.partnerBean(server, storeDir, "4711");

        context = TestContexts.context(storeDir);
        context.getRegistry().bind("partner", partner);
        context.addRoutes(route("direct:a", "tokenrefresh:partner", server.resourceUrl()));
        context.addRoutes(route("direct:b", "tokenrefresh:partner?headerName=Authorization", server.resourceUrl()));
        context.start();
        template = context.createProducerTemplate();

        assertOneTokenCallForTwoRoutes();
        assertEquals("4711", server.tokenRequests().get(0).header("partnerId"));
        assertEquals("{\"refreshToken\":\"rt-0\"}", server.tokenRequests().get(0).body());
        assertNotNull(new FileTokenStore(storeDir).load("partner", "default"), "the bean's storeDirectory is used");
    }

    @Test
    void componentOptionsConfigureEveryNameOnlyProvider() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").rotateRefreshTokens(false);
        context = TestContexts.context(storeDir);
        TokenRefreshConfiguration defaults = TestContexts.component(context).getConfiguration();
        defaults.setTokenUrl(server.tokenUrl());
        defaults.setEncoding(BodyEncoding.json);
        defaults.setRefreshTokenField("refreshToken");
        defaults.setGrantTypeLocation(GrantTypeLocation.header);
        defaults.setGrantTypeField("grantType");
        defaults.setClientAuthentication(ClientAuthentication.none);
        defaults.setHeaders(Map.of("partnerId", "4711"));
        defaults.setRefreshToken("rt-0");
        context.addRoutes(route("direct:a", "tokenrefresh:partner", server.resourceUrl()));
        context.addRoutes(route("direct:b", "tokenrefresh:partner", server.resourceUrl()));
        context.addRoutes(route("direct:other", "tokenrefresh:other", server.resourceUrl()));
        context.start();
        template = context.createProducerTemplate();

        Exchange a = call("direct:a");
        Exchange b = call("direct:b");
        assertAcceptedWithFirstToken(a);
        assertAcceptedWithFirstToken(b);
        assertEquals(1, server.tokenCalls());

        // another name is another provider built from the same defaults: its own token, its own store record
        Exchange other = call("direct:other");
        assertEquals(200, other.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertEquals("Bearer " + server.issuedAccessTokens().get(1), bearer(other));
        assertNotEquals(bearer(a), bearer(other));
        assertEquals(2, server.tokenCalls());
        assertEquals(Set.of("partner", "other"), TestContexts.component(context).getProviders().keySet());
        FileTokenStore store = new FileTokenStore(storeDir);
        assertEquals(server.issuedAccessTokens().get(0), store.load("partner", "default").token().getAccessToken());
        assertEquals(server.issuedAccessTokens().get(1), store.load("other", "default").token().getAccessToken());
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
    }

    @Test
    void accountsHaveTheirOwnTokensAndANewAccountIsSeededByHeader() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).rotateRefreshTokens(false)
                .addRefreshToken("rt-a").addRefreshToken("rt-b").addRefreshToken("rt-c");
        context = TestContexts.context(storeDir);
        context.addRoutes(route("direct:a", "tokenrefresh:partner?" + partnerOptions() + "&account=a&refreshToken=rt-a",
                                server.resourceUrl()));
        context.addRoutes(route("direct:b", "tokenrefresh:partner?account=b&refreshToken=rt-b", server.resourceUrl()));
        context.addRoutes(route("direct:any", "tokenrefresh:partner", server.resourceUrl()));
        context.addRoutes(route("direct:seed", "tokenrefresh:partner?operation=refresh", server.resourceUrl()));
        context.start();
        template = context.createProducerTemplate();

        // account option: a and b refresh with their own refresh tokens and get different access tokens
        Exchange a = call("direct:a");
        Exchange b = call("direct:b");
        assertEquals(200, a.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertEquals(200, b.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        String tokenA = server.issuedAccessTokens().get(0);
        String tokenB = server.issuedAccessTokens().get(1);
        assertNotEquals(tokenA, tokenB);
        assertEquals("Bearer " + tokenA, bearer(a));
        assertEquals("Bearer " + tokenB, bearer(b));
        assertEquals("{\"refreshToken\":\"rt-a\"}", server.tokenRequests().get(0).body());
        assertEquals("{\"refreshToken\":\"rt-b\"}", server.tokenRequests().get(1).body());
        assertEquals(2, server.tokenCalls());

        // the account header picks the token set on a route that names neither
        assertEquals("Bearer " + tokenB, bearer(call("direct:any", Map.of(TokenRefreshConstants.ACCOUNT, "b"))));
        assertEquals("Bearer " + tokenA, bearer(call("direct:any", Map.of(TokenRefreshConstants.ACCOUNT, "a"))));
        // the header also overrides the endpoint's own account
        assertEquals("Bearer " + tokenB, bearer(call("direct:a", Map.of(TokenRefreshConstants.ACCOUNT, "b"))));
        assertEquals(2, server.tokenCalls(), "known accounts: no further token calls");

        // the default account has no refresh token anywhere: it does not borrow another account's
        CamelExecutionException missing = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("direct:any", ""));
        assertInstanceOf(RefreshTokenMissingException.class, missing.getCause());
        assertEquals(2, server.tokenCalls());

        FileTokenStore store = new FileTokenStore(storeDir);
        assertEquals(tokenA, store.load("partner", "a").token().getAccessToken());
        assertEquals("rt-a", store.load("partner", "a").token().getRefreshToken());
        assertEquals(tokenB, store.load("partner", "b").token().getAccessToken());
        assertEquals("rt-b", store.load("partner", "b").token().getRefreshToken());
        assertNull(store.load("partner", "c"));

        // a new account is seeded with operation=refresh and the refresh token header, which is then removed
        Exchange seeded = call("direct:seed", Map.of(TokenRefreshConstants.ACCOUNT, "c",
                                                     TokenRefreshConstants.REFRESH_TOKEN, "rt-c"));
        String tokenC = server.issuedAccessTokens().get(2);
        assertEquals("Bearer " + tokenC, bearer(seeded));
        assertEquals(200, seeded.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertEquals("{\"refreshToken\":\"rt-c\"}", server.tokenRequests().get(2).body());
        assertFalse(seeded.getMessage().getHeaders().containsKey(TokenRefreshConstants.REFRESH_TOKEN),
                    () -> "refresh token header still on the message: " + seeded.getMessage().getHeaders().keySet());
        assertFalse(seeded.getMessage().getHeaders().containsValue("rt-c"));
        assertEquals(3, server.tokenCalls());
        StoredToken storedC = store.load("partner", "c");
        assertNotNull(storedC, "the seeded account is saved");
        assertEquals("rt-c", storedC.token().getRefreshToken());
        assertEquals(tokenC, storedC.token().getAccessToken());

        // and is then served to any route naming it, without another token call
        assertEquals("Bearer " + tokenC, bearer(call("direct:any", Map.of(TokenRefreshConstants.ACCOUNT, "c"))));
        assertEquals("Bearer " + tokenA, bearer(call("direct:a")));
        assertEquals(3, server.tokenCalls());
        assertEquals(0, server.unauthorizedResourceCalls());
        assertTrue(server.rejections().isEmpty(), () -> server.rejections().toString());
    }
}
