package io.github.cameltokenrefresh.springboot;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static io.github.cameltokenrefresh.springboot.TokenRefreshSanitizerAutoConfiguration.isSecret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys the sanitizer masks, in the forms the configprops and env endpoints give them. */
class TokenRefreshSanitizerTest {

    @Test
    void secretOptionsInEveryFormAreMasked() {
        assertTrue(isSecret("camel.component.tokenrefresh.clientSecret"));               // configprops
        assertTrue(isSecret("camel.component.tokenrefresh.client-secret"));              // env, properties
        assertTrue(isSecret("CAMEL_COMPONENT_TOKENREFRESH_REFRESHTOKEN"));               // environment variable
        assertTrue(isSecret("camel.component.tokenrefresh.providers.crm.store-encryption-key"));
        assertTrue(isSecret("camel.component.tokenrefresh.providers[crm].authKey"));
    }

    @Test
    void otherKeysAreLeftToSpringBoot() {
        assertFalse(isSecret("camel.component.tokenrefresh.token-url"));
        assertFalse(isSecret("camel.component.tokenrefresh.refresh-token-field"));
        assertFalse(isSecret("camel.component.other.client-secret"));
    }

    @Test
    void whatFeedsASecretThroughAPlaceholderIsMaskedWhereverItIsShown() {
        StandardEnvironment environment = new StandardEnvironment();
        MapPropertySource app = new MapPropertySource("application.yml", Map.of(
                "camel.component.tokenrefresh.client-secret", "${AWEBER_CLIENT_SECRET}",
                "camel.component.tokenrefresh.providers.crm.refresh-token", "{{env:CRM_REFRESH_TOKEN}}",
                "camel.component.tokenrefresh.providers.crm.auth-key", "${vault.crm.auth-key:none}",
                "camel.component.tokenrefresh.token-url", "${TOKEN_URL}"));
        MapPropertySource env = new MapPropertySource("systemEnvironment", Map.of(
                "AWEBER_CLIENT_SECRET", "s3cr3t", "CRM_REFRESH_TOKEN", "rt-1", "TOKEN_URL", "https://auth.example"));
        environment.getPropertySources().addFirst(app);
        environment.getPropertySources().addLast(env);
        SanitizingFunction sanitizer = new TokenRefreshSanitizerAutoConfiguration()
                .tokenRefreshSecretsSanitizer(environment);

        assertEquals(SanitizableData.SANITIZED_VALUE, shown(sanitizer, env, "AWEBER_CLIENT_SECRET", "s3cr3t"));
        assertEquals(SanitizableData.SANITIZED_VALUE, shown(sanitizer, env, "CRM_REFRESH_TOKEN", "rt-1"));
        assertEquals(SanitizableData.SANITIZED_VALUE, shown(sanitizer, app, "vault.crm.auth-key", "k"));
        assertEquals("https://auth.example", shown(sanitizer, env, "TOKEN_URL", "https://auth.example"),
                     "a placeholder of an option that is no secret is left alone");
    }

    private static Object shown(SanitizingFunction sanitizer, MapPropertySource source, String key, String value) {
        return sanitizer.apply(new SanitizableData(source, key, value)).getValue();
    }
}
