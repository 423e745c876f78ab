package io.github.cameltokenrefresh.springboot;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Refuses keys under camel.component.tokenrefresh.providers.NAME that are no option of a provider. Spring Boot's
 * binder skips them silently, and a misspelled {@code stor:} once left two instances each on its own file store,
 * where the second reused the first one's refresh token and the provider revoked the account. Keys are compared in
 * Spring Boot's relaxed form (token-url, tokenUrl, TOKENURL are one key); the map options take keys of their own.
 */
final class UnknownProviderKeys {

    /** Option names as Spring Boot compares them (lower case, no dashes) → as written in properties (kebab case). */
    private static final Map<String, String> OPTIONS = new TreeMap<>();
    /** The options that are maps (headers, parameters, http-options): any key below them is theirs. */
    private static final Set<String> MAPS = new TreeSet<>();

    static {
        try {
            for (PropertyDescriptor p : Introspector.getBeanInfo(TokenRefreshProviderProperties.class)
                    .getPropertyDescriptors()) {
                if (p.getWriteMethod() != null) {
                    String kebab = TokenRefreshOptionBinder.kebab(p.getName());
                    OPTIONS.put(uniform(kebab), kebab);
                    if (Map.class.isAssignableFrom(p.getPropertyType())) {
                        MAPS.add(uniform(kebab));
                    }
                }
            }
        } catch (IntrospectionException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private UnknownProviderKeys() {
    }

    /** @throws IllegalStateException naming every unknown key and the nearest option for each */
    static void check(Environment environment) {
        ConfigurationPropertyName providers = ConfigurationPropertyName.of(TokenRefreshProviderBeans.PROVIDERS);
        int option = providers.getNumberOfElements() + 1;
        Set<String> problems = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.stream().filter(providers::isAncestorOf).filter(name -> name.getNumberOfElements() > option)
                    .forEach(name -> {
                        String written = name.getElement(option, Form.UNIFORM);
                        boolean known = OPTIONS.containsKey(written)
                                        && (name.getNumberOfElements() == option + 1 || MAPS.contains(written));
                        if (!known) {
                            problems.add(problem(name, option));
                        }
                    });
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Unknown tokenrefresh provider key" + (problems.size() > 1 ? "s" : "")
                                            + ": " + String.join("; ", problems) + " (Spring Boot would otherwise"
                                            + " ignore " + (problems.size() > 1 ? "them" : "it") + " silently)");
        }
    }

    private static String problem(ConfigurationPropertyName name, int option) {
        String prefix = name.chop(option).toString();
        // token.url (TOKEN_URL in an environment variable) is nearest to token-url: compare all that follows
        StringBuilder written = new StringBuilder();
        for (int i = option; i < name.getNumberOfElements(); i++) {
            written.append(name.getElement(i, Form.UNIFORM));
        }
        String nearest = nearest(written.toString());
        String key = name.toString();
        return key + " is not an option of a provider; did you mean " + prefix + "." + nearest + "?";
    }

    /** The key element of a provider option (tokenUrl → token-url), or null when the name is no option. */
    static String written(String option) {
        return OPTIONS.get(uniform(option));
    }

    /** The option with the smallest edit distance to what was written (relaxed: dashes and case do not count). */
    static String nearest(String written) {
        String uniform = uniform(written);
        return OPTIONS.entrySet().stream()
                .min(Comparator.comparingInt((Map.Entry<String, String> e) -> distance(uniform, e.getKey()))
                             .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getValue).orElseThrow();
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String uniform(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "");
    }
}
