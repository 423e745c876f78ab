package io.github.cameltokenrefresh.springboot;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * Applies options bound by Spring Boot to the component or to a provider's TokenRefreshConfiguration with Camel's
 * own property binding (its type conversion, bean references, placeholders). Unlike Camel Spring Boot's
 * CamelPropertiesHelper, a failure names the property key and never quotes the value of a secret.
 */
final class TokenRefreshOptionBinder {

    private TokenRefreshOptionBinder() {
    }

    /**
     * @param keyPrefix  the property prefix the options came from, for messages
     * @param configurer the target's configurer, or null to use the one Camel finds for the target class
     */
    static void bind(CamelContext context, Object target, PropertyConfigurer configurer, Map<String, Object> options,
                     Set<String> secrets, String keyPrefix) {
        for (Map.Entry<String, Object> option : options.entrySet()) {
            String key = keyPrefix + "." + kebab(option.getKey());
            boolean bound;
            try {
                bound = PropertyBindingSupport.build().withConfigurer(configurer).withIgnoreCase(true)
                        .bind(context, target, option.getKey(), option.getValue());
            } catch (RuntimeException e) {
                if (secrets.contains(option.getKey())) {
                    // Camel's binding exceptions quote the value: keep them out of the start-up failure
                    throw new IllegalArgumentException(key + ": the value cannot be applied (a secret: not shown)");
                }
                throw new IllegalArgumentException(key + ": the value cannot be applied: " + e.getMessage(), e);
            }
            if (!bound) {
                throw new IllegalArgumentException(key + ": no such option on " + target.getClass().getSimpleName());
            }
        }
    }

    /** clientSecret → client-secret, as the key is written in application.properties. */
    static String kebab(String option) {
        return option.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }
}
