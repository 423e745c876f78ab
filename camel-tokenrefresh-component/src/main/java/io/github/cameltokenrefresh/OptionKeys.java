package io.github.cameltokenrefresh;

/**
 * Implemented by a provider bean (a {@link TokenRefreshConfiguration} subclass) whose options were written under
 * names of their own, as the Spring Boot starter's {@code camel.component.tokenrefresh.providers.NAME.*} properties
 * are: a configuration error of the provider then names the key the user wrote, not only the URI option.
 */
public interface OptionKeys {

    /**
     * @param option a URI option name (tokenUrl), or {@code http.}name for an HTTP option
     * @return the key it is written as (camel.component.tokenrefresh.providers.api.token-url), or null when the name
     *         is no option
     */
    String keyOf(String option);
}
