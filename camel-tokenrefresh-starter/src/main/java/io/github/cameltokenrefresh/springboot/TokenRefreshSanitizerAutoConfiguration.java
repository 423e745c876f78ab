package io.github.cameltokenrefresh.springboot;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Masks the secret options of tokenrefresh (client secret, refresh token, auth key, ...) in the configprops and env
 * actuator endpoints. Spring Boot masks every value unless show-values is changed; with show-values=always it only
 * masks what a SanitizingFunction matches, and would otherwise print camel.component.tokenrefresh.client-secret.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class TokenRefreshSanitizerAutoConfiguration {

    /** Key prefixes as configprops (clientSecret), env (client-secret) and environment variables (CLIENTSECRET) write them. */
    private static final String PREFIX = "camelcomponenttokenrefresh";
    private static final Set<String> SECRETS = Stream.concat(
            TokenRefreshComponentConfiguration.SECRET_OPTIONS.stream(),
            TokenRefreshProviderProperties.SECRET_OPTIONS.stream())
            .map(TokenRefreshSanitizerAutoConfiguration::normalize).collect(Collectors.toUnmodifiableSet());

    @Bean
    SanitizingFunction tokenRefreshSecretsSanitizer() {
        return data -> isSecret(data.getKey()) ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }

    static boolean isSecret(String key) {
        String normalized = normalize(key);
        return normalized.startsWith(PREFIX) && SECRETS.stream().anyMatch(normalized::endsWith);
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
