package io.github.cameltokenrefresh.springboot;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Masks the secret options of tokenrefresh (client secret, refresh token, auth key, ...) in the configprops and env
 * actuator endpoints, and the properties and environment variables that feed them through a placeholder
 * ({@code client-secret: ${AWEBER_CLIENT_SECRET}} or Camel's {@code {{env:AWEBER_CLIENT_SECRET}}}): with
 * show-values=always the env endpoint would otherwise print the variable's value under systemEnvironment. Spring Boot
 * masks every value unless show-values is changed; then it only masks what a SanitizingFunction matches.
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
    /** Spring's ${name} / ${name:default} and Camel's {{name}}, {{env:NAME}}, {{sys:name}} (with a default too). */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)[^}]*}|\\{\\{(?:env:|sys:)?([^}:]+)[^}]*}}");

    @Bean
    SanitizingFunction tokenRefreshSecretsSanitizer(Environment environment) {
        return data -> isSecret(data.getKey()) || feedsASecret(environment, data.getKey())
                ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }

    static boolean isSecret(String key) {
        String normalized = normalize(key);
        return normalized.startsWith(PREFIX) && SECRETS.stream().anyMatch(normalized::endsWith);
    }

    /** A property or environment variable a secret option names in a placeholder (relaxed: AWEBER_SECRET = aweber.secret). */
    private static boolean feedsASecret(Environment environment, String key) {
        return key != null && fedNames(environment).contains(normalize(key));
    }

    /** The names the secret options' placeholders refer to, read from the raw values of every property source. */
    static Set<String> fedNames(Environment environment) {
        Set<String> names = new HashSet<>();
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return names;
        }
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    Object raw = isSecret(name) ? enumerable.getProperty(name) : null;
                    if (raw != null) {
                        Matcher m = PLACEHOLDER.matcher(raw.toString());
                        while (m.find()) {
                            names.add(normalize(m.group(1) != null ? m.group(1) : m.group(2)));
                        }
                    }
                }
            }
        }
        return names;
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
