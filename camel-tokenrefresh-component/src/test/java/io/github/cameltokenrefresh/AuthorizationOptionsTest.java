package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.token.RefreshTokenMissingException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of the authorization-code flow: a wrong one fails at route start naming it, never showing the key. */
class AuthorizationOptionsTest {

    private static final String BASE = "tokenrefresh:p?tokenUrl=https://auth.example.com/token&clientId=c"
                                       + "&clientSecret=RAW(CLIENT-SECRET-9)";
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String FLOW = "&authorizationUrl=https://auth.example.com/authorize"
                                       + "&redirectUri=https://app.example.com/tokenrefresh/callback";

    @TempDir
    Path storeDir;

    private DefaultCamelContext context;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("oauth2 has no default authorization URL",
                             BASE + "&redirectUri=https://app.example.com/cb&stateSecret=" + KEY,
                             List.of("option authorizationUrl", "required", "preset oauth2")),
                Arguments.of("redirectUri required with authorizationUrl",
                             BASE + "&authorizationUrl=https://auth.example.com/authorize&stateSecret=" + KEY,
                             List.of("option redirectUri", "required")),
                Arguments.of("stateSecret required", BASE + FLOW, List.of("option stateSecret", "required")),
                Arguments.of("stateSecret too short", BASE + FLOW + "&stateSecret=RAW(SHORT-KEY-77)",
                             List.of("option stateSecret", "at least 32 bytes")),
                Arguments.of("stateSecret without the flow", BASE + "&stateSecret=" + KEY,
                             List.of("option stateSecret", "applies only")),
                Arguments.of("http authorizationUrl", BASE + "&authorizationUrl=http://auth.example.com/authorize"
                                                      + "&redirectUri=https://app.example.com/cb&stateSecret=" + KEY,
                             List.of("option authorizationUrl", "http://", "insecureHttp")),
                Arguments.of("http redirectUri to another host",
                             BASE + "&authorizationUrl=https://auth.example.com/authorize"
                             + "&redirectUri=http://app.example.com/cb&stateSecret=" + KEY,
                             List.of("option redirectUri", "http://")),
                Arguments.of("relative redirectUri", BASE + "&authorizationUrl=https://auth.example.com/authorize"
                                                     + "&redirectUri=/cb&stateSecret=" + KEY,
                             List.of("option redirectUri", "absolute")),
                Arguments.of("stateTtl zero", BASE + FLOW + "&stateSecret=" + KEY + "&stateTtl=0",
                             List.of("option stateTtl", "positive")),
                Arguments.of("clientId required",
                             "tokenrefresh:p?tokenUrl=https://auth.example.com/token&clientAuthentication=none" + FLOW
                             + "&stateSecret=" + KEY,
                             List.of("option clientId", "authorization-code flow")),
                Arguments.of("the callback route's path is not redirectUri's",
                             BASE + FLOW + "&stateSecret=" + KEY + "&operation=authorizationCallback"
                             + "&callbackPath=/oauth/callback",
                             List.of("option redirectUri", "/tokenrefresh/callback", "/oauth/callback")),
                Arguments.of("a page template that does not exist",
                             BASE + FLOW + "&stateSecret=" + KEY + "&operation=authorizationCallback"
                             + "&callbackPage=classpath:no/such/page.html",
                             List.of("option callbackPage", "classpath:no/such/page.html", "does not exist")),
                Arguments.of("page texts that do not exist",
                             BASE + FLOW + "&stateSecret=" + KEY + "&operation=authorizationCallback"
                             + "&callbackMessages=classpath:no/such/texts.properties",
                             List.of("option callbackMessages", "does not exist")),
                Arguments.of("authorizationUrl operation without the flow",
                             BASE + "&operation=authorizationUrl", List.of("option redirectUri", "authorizationUrl")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void failsAtRouteStartNamingTheOption(String name, String uri, List<String> fragments) throws Exception {
        context = TestContexts.context(storeDir);
        TestContexts.component(context).getConfiguration().setInsecureHttp(false);
        TestContexts.addRoute(context, "direct:x", uri);
        Exception failure = assertThrows(Exception.class, context::start);
        String messages = TestContexts.messages(failure);
        for (String fragment : fragments) {
            assertTrue(messages.contains(fragment), () -> "no '" + fragment + "' in\n" + messages);
        }
        assertFalse(messages.contains("SHORT-KEY-77") || messages.contains("CLIENT-SECRET-9"), messages);
    }

    @Test
    void theAweberPresetNeedsOnlyRedirectUriAndStateSecretAndALoopbackRedirectMayBeHttp() throws Exception {
        context = TestContexts.context(storeDir);
        TestContexts.component(context).getConfiguration().setInsecureHttp(false);
        TestContexts.addRoute(context, "direct:link", "tokenrefresh:aw?preset=aweber&clientId=c"
                + "&clientSecret=RAW(CLIENT-SECRET-9)&redirectUri=http://localhost:8080/tokenrefresh/callback"
                + "&stateSecret=" + KEY + "&operation=authorizationUrl");
        context.start();
        String link = context.createProducerTemplate().requestBody("direct:link", null, String.class);
        assertTrue(link.startsWith("https://auth.aweber.com/oauth2/authorize?response_type=code&client_id=c&"), link);
        assertTrue(link.contains("&code_challenge_method=S256"), link);
    }

    @Test
    void anAccountNotYetConnectedSaysItWaitsForItsLink() throws Exception {
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:link", BASE + FLOW + "&stateSecret=" + KEY + "&operation=authorizationUrl");
        context.start();
        RefreshTokenMissingException missing = assertThrows(RefreshTokenMissingException.class,
                () -> TestContexts.component(context).tokens("p").account("new-customer").token());
        assertTrue(missing.getMessage().startsWith("tokenrefresh:p account 'new-customer': not connected yet"),
                   missing.getMessage());
        assertTrue(missing.getMessage().contains("complete an authorization link (make one with"
                                                 + " operation=authorizationUrl"), missing.getMessage());
    }

    @Test
    void anAweberProviderWithoutTheFlowStillStarts() throws Exception {
        // the preset's authorization URL alone enables nothing: existing configurations keep working
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:x", "tokenrefresh:aw?preset=aweber&clientId=c"
                                                   + "&clientSecret=RAW(CLIENT-SECRET-9)");
        context.start();
        assertEquals(List.of("aw"), List.copyOf(TestContexts.component(context).getProviders().keySet()));
    }

    @Test
    void camelMasksTheStateSecretWhereverItPrintsAnEndpointUri() {
        // why the option is named *Secret: Camel's URI sanitizer masks option names containing "secret", not "key"
        String printed = URISupport.sanitizeUri(BASE + FLOW + "&stateSecret=" + KEY);
        assertFalse(printed.contains(KEY), printed);
        assertTrue(printed.contains("stateSecret=xxxxxx"), printed);
    }

    @Test
    void theCallbackRouteAtRedirectUrisPathStarts() throws Exception {
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:callback", BASE + FLOW + "&stateSecret=" + KEY
                + "&operation=authorizationCallback&callbackPath=/tokenrefresh/callback");
        context.start();
        assertTrue(context.getRouteController().getRouteStatus(context.getRoutes().get(0).getId()).isStarted());
    }

    @Test
    void pkceOffLeavesTheChallengeOut() throws Exception {
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:link", BASE + FLOW + "&stateSecret=" + KEY
                                                      + "&pkce=false&operation=authorizationUrl");
        context.start();
        String link = context.createProducerTemplate().requestBody("direct:link", null, String.class);
        assertTrue(link.contains("&state="), link);
        assertFalse(link.contains("code_challenge"), link);
    }
}
