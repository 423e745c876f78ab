package io.github.cameltokenrefresh.kafka;

import java.util.List;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the handler reads from sasl.jaas.config and Kafka's configs, and how a wrong option is told. */
class LoginOptionsTest {

    private static List<AppConfigurationEntry> jaas(Map<String, String> options) {
        return List.of(new AppConfigurationEntry(OAuthBearerLoginModule.class.getName(), LoginModuleControlFlag.REQUIRED,
                                                 options));
    }

    private static String error(Map<String, String> options) {
        return assertThrows(ConfigException.class, () -> LoginOptions.read(Map.of(), jaas(options))).getMessage();
    }

    @Test
    void readsNamesDefaultsAndKafkasWindowFactor() {
        LoginOptions options = LoginOptions.read(Map.of("sasl.login.refresh.window.factor", "0.9"),
                                                 jaas(Map.of("provider", "kc", "extension_logicalCluster", "lkc-1")));
        assertEquals("kc", options.provider());
        assertEquals("default", options.account());
        assertNull(options.camelContext());
        assertNull(options.principal());
        assertEquals(Map.of("logicalCluster", "lkc-1"), options.extensions());
        assertEquals(0.9, options.windowFactor());
        assertEquals(0.8, LoginOptions.read(null, jaas(Map.of("provider", "kc"))).windowFactor(), "Kafka's default");
    }

    @Test
    void theProviderIsRequired() {
        String message = error(Map.of("account", "orders"));
        assertTrue(message.contains("sasl.jaas.config option provider is required"), message);
    }

    @Test
    void aMisspelledOptionIsRefusedRatherThanDefaulted() {
        String message = error(Map.of("provider", "kc", "acount", "orders"));
        assertTrue(message.contains("option acount is not an option"), message);
    }

    @Test
    void anEmptyOptionIsRefused() {
        String message = error(Map.of("provider", "kc", "account", " "));
        assertTrue(message.contains("option account is empty"), message);
    }

    @Test
    void saslExtensionsFollowRfc7628() {
        assertTrue(error(Map.of("provider", "kc", "extension_auth", "x")).contains("extension_auth"));
        assertTrue(error(Map.of("provider", "kc", "extension_pool-id", "x")).contains("extension_pool-id"));
        assertTrue(error(Map.of("provider", "kc", "extension_pool", "caf\u00e9")).contains("not printable ASCII"));
    }

    @Test
    void oneLoginModuleEntry() {
        ConfigException e = assertThrows(ConfigException.class, () -> LoginOptions.read(Map.of(), List.of()));
        assertTrue(e.getMessage().contains("exactly one login module entry"), e::getMessage);
    }

    @Test
    void onlyOauthbearer() {
        ConfigException e = assertThrows(ConfigException.class,
                                         () -> new TokenRefreshLoginCallbackHandler().configure(Map.of(), "PLAIN",
                                                                                                jaas(Map.of("provider", "kc"))));
        assertTrue(e.getMessage().contains("sasl.mechanism") && e.getMessage().contains("OAUTHBEARER only"),
                   e::getMessage);
    }
}
