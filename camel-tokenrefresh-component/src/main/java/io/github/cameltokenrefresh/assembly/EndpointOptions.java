package io.github.cameltokenrefresh.assembly;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.TokenRefreshEndpoint;
import io.github.cameltokenrefresh.internal.InvalidOption;
import org.apache.camel.spi.UriParam;

/**
 * What the options of one endpoint URI mean, read from the annotations rather than kept in lists: which belong to the
 * endpoint alone (those of {@link TokenRefreshEndpoint} and Camel's own), so that any other one declares the provider;
 * and the values each enum option accepts, so a wrong one fails naming the option and the valid values.
 */
public final class EndpointOptions {

    /** A configuration option that belongs to an account, not to the provider: it declares nothing. */
    private static final String ACCOUNT_OPTION = "refreshToken";

    private static final Set<String> ENDPOINT_ONLY = endpointOnly();
    private static final Map<String, Class<?>> ENUM_OPTIONS = enumOptions();

    private EndpointOptions() {
    }

    /** Whether a URI with these options declares its provider (rather than only naming it). */
    public static boolean declaresProvider(Set<String> options) {
        return options.stream().anyMatch(o -> !ENDPOINT_ONLY.contains(o));
    }

    /**
     * Takes out the enum options whose value the enum does not know, and returns the error naming the option and the
     * values it takes (the first such option), or null when all are fine. Taken out, so that Camel's own conversion
     * does not fail first with a message quoting the whole URI.
     */
    public static IllegalArgumentException removeUnknownEnumValues(String provider, Map<String, Object> parameters) {
        IllegalArgumentException error = null;
        for (var it = parameters.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            Class<?> type = ENUM_OPTIONS.get(entry.getKey());
            if (type == null || !(entry.getValue() instanceof String text) || text.startsWith("#")
                || text.startsWith("{{")) {
                continue;
            }
            Object[] constants = type.getEnumConstants();
            // as leniently as Camel's enum conversion: any case, dashes or underscores
            if (Arrays.stream(constants).noneMatch(c -> normalized(c.toString()).equals(normalized(text)))) {
                it.remove();
                if (error == null) {
                    error = InvalidOption.of(provider, entry.getKey(), "has an unknown value '" + text + "'; use one of "
                                                                       + Arrays.stream(constants).map(Object::toString)
                                                                               .collect(Collectors.joining(", ")));
                }
            }
        }
        return error;
    }

    private static Set<String> endpointOnly() {
        Set<String> names = new HashSet<>();
        for (Class<?> c = TokenRefreshEndpoint.class; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                UriParam param = field.getAnnotation(UriParam.class);
                if (param != null && field.getType() != TokenRefreshConfiguration.class) {
                    names.add(param.name().isEmpty() ? field.getName() : param.name());
                }
            }
        }
        names.add(ACCOUNT_OPTION);
        return Set.copyOf(names);
    }

    private static Map<String, Class<?>> enumOptions() {
        Map<String, Class<?>> options = new HashMap<>();
        // the configuration's options live in its @UriParams superclasses too
        for (Class<?> start : new Class<?>[] { TokenRefreshConfiguration.class, TokenRefreshEndpoint.class }) {
            for (Class<?> c = start; c != null; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.isAnnotationPresent(UriParam.class) && field.getType().isEnum()) {
                        options.put(field.getName(), field.getType());
                    }
                }
            }
        }
        return Map.copyOf(options);
    }

    private static String normalized(String value) {
        return value.trim().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
