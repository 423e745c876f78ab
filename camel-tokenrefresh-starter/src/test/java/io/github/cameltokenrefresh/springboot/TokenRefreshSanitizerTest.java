package io.github.cameltokenrefresh.springboot;

import org.junit.jupiter.api.Test;

import static io.github.cameltokenrefresh.springboot.TokenRefreshSanitizerAutoConfiguration.isSecret;
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
}
