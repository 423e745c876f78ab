package io.github.cameltokenrefresh.springboot;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * camel.component.tokenrefresh.providers.NAME.*: providers declared in properties, each registered as the
 * TokenRefreshConfiguration bean NAME that {@code tokenrefresh:NAME} looks up. Kept apart from the generated component
 * configuration: these are beans, not component options.
 */
@ConfigurationProperties(prefix = TokenRefreshProvidersConfiguration.PREFIX)
public class TokenRefreshProvidersConfiguration {

    static final String PREFIX = "camel.component.tokenrefresh";

    /**
     * Providers by name (write names in lower case, or in brackets to keep their case: [myApi]); each one a complete
     * provider definition, as a TokenRefreshConfiguration bean of that name would be. The component options are not
     * defaults for them.
     */
    private Map<String, TokenRefreshProviderProperties> providers = new LinkedHashMap<>();

    public Map<String, TokenRefreshProviderProperties> getProviders() {
        return providers;
    }

    public void setProviders(Map<String, TokenRefreshProviderProperties> providers) {
        this.providers = providers;
    }
}
