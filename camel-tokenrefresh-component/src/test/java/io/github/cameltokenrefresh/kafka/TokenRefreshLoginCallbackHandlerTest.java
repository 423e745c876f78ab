package io.github.cameltokenrefresh.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import io.github.cameltokenrefresh.InMemoryTokenEndpoint;
import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka login callback handler against a Camel context whose provider gets tokens (an hour each) from an
 * in-memory token endpoint, on a clock the test moves: what Kafka gets at login and at re-login, and what a wrong
 * configuration says. No broker: KafkaOAuthBearerIT runs one.
 */
class TokenRefreshLoginCallbackHandlerTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final List<DefaultCamelContext> contexts = new ArrayList<>();
    private final List<TokenRefreshLoginCallbackHandler> handlers = new ArrayList<>();
    private Map<String, InMemoryTokenEndpoint> endpoints;
    private TokenRefreshComponent component;

    @BeforeEach
    void startContext() {
        DefaultCamelContext context = context("kafka-handler-test");
        endpoints = InMemoryTokenEndpoint.install(context);
        component = TestContexts.component(context);
        context.start();
        // the accounts were onboarded before: their refresh tokens are in the store
        component.tokens("kc").account("orders").supplyRefreshToken("rt-orders");
        component.tokens("kc").account("default").supplyRefreshToken("rt-default");
    }

    private DefaultCamelContext context(String name) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        TokenRefreshComponent tokenrefresh = new TokenRefreshComponent();
        tokenrefresh.getConfiguration().setStore(new MemoryTokenStore());
        TestContexts.clock(tokenrefresh, clock);
        context.addComponent("tokenrefresh", tokenrefresh);
        TokenRefreshConfiguration kc = new TokenRefreshConfiguration();
        kc.setTokenUrl("https://sso.example.com/realms/kafka/protocol/openid-connect/token");
        kc.setClientId("orders-client");
        kc.setClientSecret("client-secret-never-shown");
        context.getRegistry().bind("kc", kc);
        contexts.add(context);
        return context;
    }

    @AfterEach
    void stop() {
        handlers.forEach(TokenRefreshLoginCallbackHandler::close);
        contexts.forEach(DefaultCamelContext::stop);
    }

    private TokenRefreshLoginCallbackHandler handler(Map<String, ?> configs, Map<String, String> jaasOptions) {
        TokenRefreshLoginCallbackHandler handler = new TokenRefreshLoginCallbackHandler(clock);
        handler.configure(configs, OAuthBearerLoginModule.OAUTHBEARER_MECHANISM,
                          List.of(new AppConfigurationEntry(OAuthBearerLoginModule.class.getName(),
                                                            LoginModuleControlFlag.REQUIRED, jaasOptions)));
        handlers.add(handler);
        return handler;
    }

    private TokenRefreshLoginCallbackHandler handler() {
        return handler(Map.of(), Map.of("camelContext", "kafka-handler-test", "provider", "kc", "account", "orders"));
    }

    private static OAuthBearerToken login(TokenRefreshLoginCallbackHandler handler) throws Exception {
        OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();
        handler.handle(new Callback[] { callback });
        assertNull(callback.errorCode(), callback::errorDescription);
        return callback.token();
    }

    @Test
    void kafkaGetsTheAccountsAccessTokenWithItsLifetimeAndTheAccountAsPrincipal() throws Exception {
        OAuthBearerToken token = login(handler());

        assertEquals("kc-at-1", token.value());
        assertEquals(START.toEpochMilli(), token.startTimeMs());
        assertEquals(START.plus(Duration.ofHours(1)).toEpochMilli(), token.lifetimeMs(), "expiry, in Kafka's words");
        assertEquals("orders", token.principalName());
        assertEquals(1, endpoints.get("kc").calls());
        assertFalse(token.toString().contains("kc-at-1"), token::toString);
    }

    @Test
    void beforeKafkasReloginWindowTheSameTokenIsHandedOverAgain() throws Exception {
        TokenRefreshLoginCallbackHandler handler = handler();
        login(handler);
        clock.advance(Duration.ofMinutes(47)); // 78 % of the hour: Kafka's default window (0.8) has not begun

        assertEquals("kc-at-1", login(handler).value());
        assertEquals(1, endpoints.get("kc").calls());
    }

    @Test
    void aReloginInsideKafkasWindowRenewsTheTokenOnceForEveryClientOfTheAccount() throws Exception {
        TokenRefreshLoginCallbackHandler producer = handler();
        TokenRefreshLoginCallbackHandler consumer = handler();
        assertEquals("kc-at-1", login(producer).value());
        assertEquals("kc-at-1", login(consumer).value());
        clock.advance(Duration.ofMinutes(49)); // 82 %: both clients' re-login threads wake in their window

        OAuthBearerToken renewed = login(producer);
        assertEquals("kc-at-2", renewed.value());
        assertEquals(clock.millis(), renewed.startTimeMs());
        assertEquals("kc-at-2", login(consumer).value(), "the second client gets the token the first one renewed");
        assertEquals(2, endpoints.get("kc").calls());
    }

    @Test
    void kafkasOwnWindowFactorDecidesWhenAReloginRenews() throws Exception {
        TokenRefreshLoginCallbackHandler handler = handler(Map.of("sasl.login.refresh.window.factor", 0.5),
                                                           Map.of("camelContext", "kafka-handler-test",
                                                                  "provider", "kc", "account", "orders"));
        login(handler);
        clock.advance(Duration.ofMinutes(31));

        assertEquals("kc-at-2", login(handler).value());
    }

    @Test
    void saslExtensionsComeFromTheJaasOptionsAndThePrincipalCanBeNamed() throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("camelContext", "kafka-handler-test", "provider", "kc",
                                                                 "principal", "orders-service"));
        options.put("extension_logicalCluster", "lkc-12345");
        options.put("extension_identityPoolId", "pool-AbCd");
        TokenRefreshLoginCallbackHandler handler = handler(Map.of(), options);
        SaslExtensionsCallback extensions = new SaslExtensionsCallback();
        handler.handle(new Callback[] { extensions });

        assertEquals(Map.of("logicalCluster", "lkc-12345", "identityPoolId", "pool-AbCd"), extensions.extensions().map());
        OAuthBearerToken token = login(handler);
        assertEquals("orders-service", token.principalName());
        assertEquals(component.tokens("kc").account("default").token().getAccessToken(), token.value(),
                     "no account option: the default account");
    }

    @Test
    void theHandlerHoldsItsProviderUntilKafkaClosesIt() throws Exception {
        TokenRefreshLoginCallbackHandler handler = handler();
        login(handler);
        assertTrue(component.getProviders().containsKey("kc"));

        handler.close();
        assertFalse(component.getProviders().containsKey("kc"), "the last holder gone, the provider stops");
    }

    @Test
    void withSeveralContextsRunningTheJaasOptionsMustNameOne() {
        context("kafka-handler-test-2").start();

        ConfigException e = assertThrows(ConfigException.class, () -> handler(Map.of(), Map.of("provider", "kc")));
        assertTrue(e.getMessage().contains("several Camel contexts") && e.getMessage().contains("kafka-handler-test-2")
                   && e.getMessage().contains("option camelContext"), e::getMessage);
    }

    @Test
    void aContextThatDoesNotRunTheComponentIsNamedInTheError() {
        ConfigException e = assertThrows(ConfigException.class,
                                         () -> handler(Map.of(), Map.of("camelContext", "no-such-app", "provider", "kc")));
        assertTrue(e.getMessage().contains("no Camel context named no-such-app"), e::getMessage);
    }

    @Test
    void aProviderWithoutADefinitionFailsAtConfigureNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> handler(Map.of(), Map.of("camelContext", "kafka-handler-test",
                                                                                 "provider", "nobody")));
        assertTrue(e.getMessage().contains("tokenUrl"), e::getMessage);
        assertFalse(component.getProviders().containsKey("nobody"));
    }
}
