package io.github.cameltokenrefresh.springboot;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A provider declared in properties whose configuration is wrong: the error names the property keys the user wrote
 * (camel.component.tokenrefresh.providers.api.token-url, and insecure-http as the fix), the URI option in brackets.
 */
class ProviderOptionKeysTest {

    private static final String P = "camel.component.tokenrefresh.providers.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                                                     TokenRefreshComponentAutoConfiguration.class))
            .withUserConfiguration(Routes.class);

    @Test
    void anHttpTokenUrlNamesTheKeysToFix() {
        runner.withPropertyValues(P + "api.token-url=http://api.example/token", P + "api.client-id=c",
                                  P + "api.client-secret=do-not-show-41e0")
                .run(context -> {
                    String message = providerError(context.getBean(CamelContext.class), "api");
                    assertThat(message)
                            .startsWith("tokenrefresh:api: " + P + "api.token-url (option tokenUrl) uses http://")
                            .contains("set " + P + "api.insecure-http=true")
                            .doesNotContain("do-not-show-41e0");
                });
    }

    @Test
    void aProviderNameInBracketsIsNamedInBrackets() {
        runner.withPropertyValues(P + "[myApi].token-url=https://api.example/token", P + "[myApi].client-id=c",
                                  P + "[myApi].client-secret=s", P + "[myApi].refresh-concurrency=0")
                .run(context -> assertThat(providerError(context.getBean(CamelContext.class), "myApi"))
                        .startsWith("tokenrefresh:myApi: camel.component.tokenrefresh.providers[myApi]"
                                    + ".refresh-concurrency (option refreshConcurrency) must be at least 1"));
    }

    @Test
    void anHttpOptionIsNamedUnderHttpOptions() {
        runner.withPropertyValues(P + "api.token-url=https://api.example/token", P + "api.client-id=c",
                                  P + "api.client-secret=s", P + "api.http-options.soTimeout=5000")
                .run(context -> assertThat(providerError(context.getBean(CamelContext.class), "api"))
                        .contains(P + "api.http-options.soTimeout (option http.soTimeout) does not apply to token"
                                  + " calls; use " + P + "api.response-timeout"));
    }

    @Test
    void aProviderBeanOfTheApplicationKeepsTheUriOptionNames() {
        runner.withBean("api", io.github.cameltokenrefresh.TokenRefreshConfiguration.class, () -> {
            io.github.cameltokenrefresh.TokenRefreshConfiguration api
                    = new io.github.cameltokenrefresh.TokenRefreshConfiguration();
            api.setTokenUrl("http://api.example/token");
            return api;
        }).run(context -> assertThat(providerError(context.getBean(CamelContext.class), "api"))
                .startsWith("tokenrefresh:api: option tokenUrl uses http://")
                .contains("set insecureHttp=true"));
    }

    /** The provider's configuration error, as the component raises it when the provider is first used. */
    private static String providerError(CamelContext camel, String provider) {
        TokenRefreshComponent component = camel.getComponent("tokenrefresh", TokenRefreshComponent.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> component.tokens(provider));
        return e.getMessage();
    }

    @Configuration(proxyBeanMethods = false)
    static class Routes {
        @Bean
        RouteBuilder none() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    // providers are looked up when first used: the test asks for them
                }
            };
        }
    }
}
