package io.github.cameltokenrefresh.springboot;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** How properties reach the component and the provider beans, and how a wrong one fails the start. */
class TokenRefreshAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                                                     TokenRefreshComponentAutoConfiguration.class));

    @Test
    void componentOptionsFromPropertiesReachTheComponent() {
        runner.withPropertyValues("camel.component.tokenrefresh.preset=aweber",
                                  "camel.component.tokenrefresh.client-id=from-properties",
                                  "camel.component.tokenrefresh.refresh-window=3m",
                                  "camel.component.tokenrefresh.default-expires-in=90s",
                                  "camel.component.tokenrefresh.headers.partnerId=42")
                .run(context -> {
                    TokenRefreshConfiguration defaults = component(context).getConfiguration();
                    assertThat(defaults.getPreset()).isEqualTo("aweber");
                    assertThat(defaults.getClientId()).isEqualTo("from-properties");
                    assertThat(defaults.getRefreshWindow()).isEqualTo(180_000L);
                    assertThat(defaults.getDefaultExpiresIn()).isEqualTo(90_000L);
                    assertThat(defaults.getHeaders()).containsEntry("partnerId", "42");
                });
    }

    @Test
    void theCustomizerCanBeSwitchedOffAsInCamelSpringBoot() {
        runner.withPropertyValues("camel.component.tokenrefresh.client-id=from-properties",
                                  "camel.component.tokenrefresh.customizer.enabled=false")
                .run(context -> assertThat(component(context).getConfiguration().getClientId()).isNull());
    }

    @Test
    void providersFromPropertiesAreBeansNamedAfterThem() {
        runner.withPropertyValues("camel.component.tokenrefresh.providers.crm.token-url=https://crm.example/token",
                                  "camel.component.tokenrefresh.providers.crm.fallback-grant=client_credentials",
                                  "camel.component.tokenrefresh.providers.billing.preset=newsletter2go")
                .run(context -> {
                    CamelContext camel = context.getBean(CamelContext.class);
                    TokenRefreshConfiguration crm = camel.getRegistry().lookupByNameAndType("crm",
                            TokenRefreshConfiguration.class);
                    assertThat(crm.getTokenUrl()).isEqualTo("https://crm.example/token");
                    assertThat(crm.getFallbackGrant()).hasToString("client_credentials");
                    assertThat(camel.getRegistry().lookupByNameAndType("billing", TokenRefreshConfiguration.class)
                                       .getPreset()).isEqualTo("newsletter2go");
                });
    }

    @Test
    void aProviderNameInBracketsKeepsItsCase() {
        runner.withPropertyValues("camel.component.tokenrefresh.providers[myApi].token-url=https://my.example/token")
                .run(context -> assertThat(context.getBean(CamelContext.class).getRegistry()
                        .lookupByNameAndType("myApi", TokenRefreshConfiguration.class).getTokenUrl())
                        .isEqualTo("https://my.example/token"));
    }

    @Test
    void switchedOffTheStarterNeitherConfiguresTheComponentNorAddsProviders() {
        runner.withPropertyValues("camel.component.tokenrefresh.enabled=false",
                                  "camel.component.tokenrefresh.client-id=from-properties",
                                  "camel.component.tokenrefresh.providers.crm.token-url=https://crm.example/token")
                .run(context -> {
                    assertThat(component(context).getConfiguration().getClientId()).isNull();
                    assertThat(context).doesNotHaveBean("crm");
                });
    }

    @Test
    void aWrongComponentValueFailsTheStartNamingTheKey() {
        // preset is a catalog name now (checked at route start); encoding is still an enum Spring binding refuses
        runner.withPropertyValues("camel.component.tokenrefresh.encoding=jsonn")
                .run(context -> assertThat(failure(context)).contains("camel.component.tokenrefresh.encoding"));
    }

    @Test
    void aWrongProviderValueFailsTheStartNamingTheKey() {
        runner.withPropertyValues("camel.component.tokenrefresh.providers.crm.refresh-window=soon")
                .run(context -> assertThat(failure(context))
                        .contains("camel.component.tokenrefresh.providers.crm.refresh-window"));
    }

    @Test
    void aProviderDeclaredAsBeanAndInPropertiesFailsTheStartNamingIt() {
        runner.withUserConfiguration(CrmBean.class)
                .withPropertyValues("camel.component.tokenrefresh.providers.crm.client-secret=do-not-show-7b1e")
                .run(context -> assertThat(failure(context)).contains("'crm'").doesNotContain("do-not-show-7b1e"));
    }

    @Test
    void aProviderBeanOfTheApplicationIsLeftAsItIs() {
        runner.withUserConfiguration(CrmBean.class)
                .run(context -> assertThat(context.getBean(CamelContext.class).getRegistry()
                        .lookupByNameAndType("crm", TokenRefreshConfiguration.class).getTokenUrl())
                        .isEqualTo("https://crm.example/bean"));
    }

    @Configuration(proxyBeanMethods = false)
    static class CrmBean {
        @Bean
        TokenRefreshConfiguration crm() {
            TokenRefreshConfiguration crm = new TokenRefreshConfiguration();
            crm.setTokenUrl("https://crm.example/bean");
            return crm;
        }
    }

    private static TokenRefreshComponent component(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getBean(CamelContext.class).getComponent("tokenrefresh", TokenRefreshComponent.class);
    }

    /** The start-up failure with its causes, as Spring Boot would report it. */
    private static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
