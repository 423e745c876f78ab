package io.github.cameltokenrefresh.springboot;

import java.util.Map;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Registers each provider of camel.component.tokenrefresh.providers.NAME.* as the Spring bean NAME, a
 * TokenRefreshConfiguration: the component looks providers up by name in the Camel registry, which under Spring Boot
 * is the application context. Bean definitions are registered before any bean is created, so a provider declared both
 * here and as a {@code @Bean} fails the start naming the bean (Spring Boot forbids overriding definitions). A key
 * that is no provider option fails the start too, naming the nearest option ({@link UnknownProviderKeys}).
 */
final class TokenRefreshProviderBeans implements BeanDefinitionRegistryPostProcessor {

    static final String PROVIDERS = TokenRefreshProvidersConfiguration.PREFIX + ".providers";

    private final Environment environment;

    TokenRefreshProviderBeans(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        // before binding: the binder would skip a misspelled key without a word
        UnknownProviderKeys.check(environment);
        Map<String, TokenRefreshProviderProperties> providers = Binder.get(environment)
                .bind(PROVIDERS, Bindable.mapOf(String.class, TokenRefreshProviderProperties.class))
                .orElse(Map.of());
        BeanFactory beans = (BeanFactory) registry;
        providers.forEach((name, properties) -> {
            RootBeanDefinition definition = new RootBeanDefinition(TokenRefreshConfiguration.class,
                    () -> configuration(beans.getBean(CamelContext.class), name, properties));
            // created when a tokenrefresh endpoint first names it, with the CamelContext that binds its options
            definition.setLazyInit(true);
            definition.setDescription("tokenrefresh provider from " + PROVIDERS + "." + name);
            registry.registerBeanDefinition(name, definition);
        });
    }

    static TokenRefreshConfiguration configuration(CamelContext context, String name,
                                                   TokenRefreshProviderProperties properties) {
        // as the user wrote it: providers.crm, or in brackets for a name that keeps its case (providers[myApi])
        String prefix = PROVIDERS + (ConfigurationPropertyName.isValid(name) ? "." + name : "[" + name + "]");
        TokenRefreshConfiguration configuration = new PropertiesProvider(prefix);
        // TokenRefreshConfiguration's configurer: Camel finds none for the subclass
        PropertyConfigurer configurer = PluginHelper.getConfigurerResolver(context)
                .resolvePropertyConfigurer(TokenRefreshConfiguration.class.getName(), context);
        TokenRefreshOptionBinder.bind(context, configuration, configurer, properties.toOptions(),
                TokenRefreshProviderProperties.SECRET_OPTIONS, prefix);
        return configuration;
    }
}
