package io.github.cameltokenrefresh.springboot;

import io.github.cameltokenrefresh.OptionKeys;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;

/**
 * A provider declared under camel.component.tokenrefresh.providers.NAME: its configuration errors name the property
 * key the user wrote ({@code ...providers.api.insecure-http}), not the URI option (insecureHttp), which appears in
 * brackets. It survives the component's copy of the bean (a clone).
 */
final class PropertiesProvider extends TokenRefreshConfiguration implements OptionKeys {

    private static final String HTTP = "http.";

    /** camel.component.tokenrefresh.providers.NAME */
    private final String prefix;

    PropertiesProvider(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String keyOf(String option) {
        if (option.startsWith(HTTP)) {
            return prefix + ".http-options." + option.substring(HTTP.length());
        }
        String written = UnknownProviderKeys.written(option);
        return written == null ? null : prefix + "." + written;
    }
}
