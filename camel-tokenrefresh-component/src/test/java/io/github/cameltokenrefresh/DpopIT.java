package io.github.cameltokenrefresh;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.github.cameltokenrefresh.internal.RunningProviders;
import io.github.cameltokenrefresh.internal.dpop.DpopPresentation;
import io.github.cameltokenrefresh.internal.jose.TestKeys;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DPoP (RFC 9449) through Camel HTTP against a strict server: token requests carry proofs and answer the token
 * endpoint's nonce challenge; the DPoP-bound token works on the API with a proof per request (the presentation the
 * send-time decoration plugs in, with the API's own nonce challenge, and the producer given CamelHttpUri); a keystore
 * key keeps a stored bound token usable after a restart, a key made in memory does not.
 */
class DpopIT extends SigningServerSupport {

    @Test
    void aBoundTokenFromANonceChallengedTokenEndpointWorksOnTheApiWithItsOwnNonce() throws Exception {
        StrictDpop dpop = startServer(true, true);
        start("");

        String token = context.createProducerTemplate().requestBodyAndHeader("direct:token", null,
                TokenRefreshConstants.OPERATION, "token", String.class);
        assertEquals(1, dpop.nonceChallenges.get(), "the token endpoint's challenge, answered with one retry");
        assertEquals(1, server.accepted.size());

        dpop.rotateNonce(); // the token endpoint's nonce (same origin) is kept for the API too: make the API challenge
        DpopPresentation presentation = RunningProviders.find(context).byName().get("p").dpopPresentation();
        URI api = URI.create(resourceUrl() + "?page=2#top");
        HttpResponse<String> first = get(api, presentation.headers("GET", api, token));
        assertEquals(401, first.statusCode());
        assertTrue(presentation.nonceChallenge(api, first.headers().firstValue("WWW-Authenticate").orElse(null),
                                               first.headers().firstValue("DPoP-Nonce").orElse(null)));
        HttpResponse<String> retried = get(api, presentation.headers("GET", api, token));
        assertEquals(200, retried.statusCode(), () -> "refused: " + dpop.refusals);
        assertTrue(dpop.refusals.isEmpty(), () -> "refused: " + dpop.refusals);
    }

    @Test
    void theProducerDecoratesAnApiCallWhoseUrlItIsGiven() throws Exception {
        StrictDpop dpop = startServer(false, false);
        start("");

        Exchange answer = context.createProducerTemplate().request("direct:api", e -> {
        });
        assertNull(answer.getException());
        assertEquals("{\"sub\":\"acme\"}", answer.getMessage().getBody(String.class));
        assertTrue(dpop.refusals.isEmpty(), () -> "refused: " + dpop.refusals);
    }

    @Test
    void aCallUnderTheApiBaseGetsTheBoundTokenAndAProofAsItIsSentWithoutAStep() throws Exception {
        StrictDpop dpop = startServer(false, false);
        String base = "http://127.0.0.1:" + server.server().getAddress().getPort();
        start("&apiBase=" + base + "/userinfo");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sendtime").setHeader(Exchange.HTTP_METHOD, constant("GET")).to(resourceUrl());
            }
        });

        for (int call = 0; call < 2; call++) { // a fresh proof per request: the server refuses a replayed jti
            Exchange answer = context.createProducerTemplate().request("direct:sendtime", e -> {
            });
            assertNull(answer.getException());
            assertEquals("{\"sub\":\"acme\"}", answer.getMessage().getBody(String.class));
        }
        assertTrue(dpop.refusals.isEmpty(), () -> "refused: " + dpop.refusals);
        assertEquals(1, server.accepted.size(), "one token for both calls");
    }

    @Test
    void aKeystoreKeyKeepsTheStoredBoundTokenUsableAfterARestart() throws Exception {
        StrictDpop dpop = startServer(false, false);
        String keystore = "&dpopKeystore=" + TestKeys.file("dpop-ec.p12") + "&dpopKeystorePassword=" + TestKeys.PASSWORD;
        start(keystore);
        assertNull(context.createProducerTemplate().request("direct:api", e -> {
        }).getException());
        context.stop();

        start(keystore);
        Exchange answer = context.createProducerTemplate().request("direct:api", e -> {
        });
        assertNull(answer.getException());
        assertEquals(1, server.accepted.size(), "the stored token was used, not a new one");
        assertTrue(dpop.refusals.isEmpty(), () -> "refused: " + dpop.refusals);
    }

    @Test
    void aKeyMadeInMemoryLeavesTheStoredBoundTokenUselessAfterARestart() throws Exception {
        startServer(false, false);
        start("");
        assertNull(context.createProducerTemplate().request("direct:api", e -> {
        }).getException());
        context.stop();

        start("");
        Exchange answer = context.createProducerTemplate().request("direct:api", e -> {
        });
        assertEquals(401, assertInstanceOf(HttpOperationFailedException.class, answer.getException()).getStatusCode());
    }

    private StrictDpop startServer(boolean tokenNonce, boolean resourceNonce) throws Exception {
        server = StrictSigningTokenServer.http();
        server.register("client-1", TestKeys.rsa().certificate().getPublicKey());
        StrictDpop dpop = new StrictDpop(tokenNonce, resourceNonce);
        server.dpop = dpop;
        server.server().createContext("/userinfo", exchange -> dpop.resource(exchange, URI.create(resourceUrl())));
        return dpop;
    }

    private String resourceUrl() {
        return "http://127.0.0.1:" + server.server().getAddress().getPort() + "/userinfo";
    }

    private void start(String options) throws Exception {
        context = TestContexts.context(dir.resolve("store"));
        String tokens = "tokenrefresh:p?insecureHttp=true&tokenUrl=" + server.tokenUrl() + "&dpop=true"
                        + "&clientAuthentication=private_key_jwt&clientId=client-1&signingKeystore="
                        + TestKeys.file("client-rsa.p12") + "&signingKeystorePassword=" + TestKeys.PASSWORD
                        + "&refreshToken=rt-0" + options;
        String api = resourceUrl();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:token").to(tokens);
                from("direct:api").setHeader(Exchange.HTTP_URI, constant(api)).setHeader(Exchange.HTTP_METHOD,
                        constant("GET")).to(tokens).to("http://ignored.invalid/");
            }
        });
        context.start();
    }

    private static HttpResponse<String> get(URI url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
