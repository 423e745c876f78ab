package io.github.cameltokenrefresh.springboot;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigureAfter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The tokenrefresh component under Spring Boot, in the shape of Camel Spring Boot's component starters: its
 * camel.component.tokenrefresh.* options applied by a ComponentCustomizer when Camel creates the component, and
 * camel.component.customizer.enabled / camel.component.tokenrefresh.customizer.enabled / .enabled honoured the same
 * way. Adds the providers declared in properties as TokenRefreshConfiguration beans.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, TokenRefreshComponentConfiguration.class,
                                 TokenRefreshProvidersConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.tokenrefresh" })
@AutoConfigureAfter(CamelAutoConfiguration.class)
public class TokenRefreshComponentAutoConfiguration {

    static final String PREFIX = "camel.component.tokenrefresh";

    /** Static: a registry post-processor runs before this configuration class could be instantiated. */
    @Bean
    static BeanDefinitionRegistryPostProcessor tokenRefreshProviderBeans(Environment environment) {
        return new TokenRefreshProviderBeans(environment);
    }

    /** Not lazy (Camel Spring Boot's are): a wrong value fails the start even before a route names the component. */
    @Bean
    public ComponentCustomizer configureTokenRefreshComponent(ApplicationContext applicationContext,
                                                              CamelContext camelContext,
                                                              TokenRefreshComponentConfiguration configuration) {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                // the component's configurer is ready once the component is initialized
                ServiceHelper.initService(target);
                TokenRefreshOptionBinder.bind(camelContext, target, target.getComponentPropertyConfigurer(),
                        configuration.toOptions(), TokenRefreshComponentConfiguration.SECRET_OPTIONS, PREFIX);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        PREFIX + ".customizer")
                       && target instanceof TokenRefreshComponent;
            }
        };
    }
}
