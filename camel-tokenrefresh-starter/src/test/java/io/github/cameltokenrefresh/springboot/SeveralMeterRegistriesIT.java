package io.github.cameltokenrefresh.springboot;

import java.nio.file.Path;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with two meter registries (say Prometheus and another exporter): Spring Boot adds a primary
 * CompositeMeterRegistry over them, Camel Spring Boot's registry returns the primary bean, and the meters reach both.
 */
class SeveralMeterRegistriesIT {

    @TempDir
    Path storeDir;

    @Test
    void metersReachEveryRegistryThroughSpringBootsCompositeRegistry() {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2)
                .clientCredentials("metrics-client", "metrics-secret").addRefreshToken("rt-metrics-0")) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                            TokenRefreshComponentAutoConfiguration.class, MetricsAutoConfiguration.class,
                            CompositeMeterRegistryAutoConfiguration.class))
                    .withUserConfiguration(TwoRegistries.class)
                    .withPropertyValues("camel.component.tokenrefresh.providers.metered.token-url=" + server.tokenUrl(),
                                        "camel.component.tokenrefresh.providers.metered.insecure-http=true",
                                        "camel.component.tokenrefresh.providers.metered.client-id=metrics-client",
                                        "camel.component.tokenrefresh.providers.metered.client-secret=metrics-secret",
                                        "camel.component.tokenrefresh.providers.metered.refresh-token=rt-metrics-0",
                                        "camel.component.tokenrefresh.providers.metered.store-directory=" + storeDir)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        context.getBean(ProducerTemplate.class)
                                .requestBody("tokenrefresh:metered?operation=refresh", "", String.class);

                        assertThat(server.successfulRefreshes()).isEqualTo(1);
                        for (String name : new String[] { "first", "second" }) {
                            MeterRegistry registry = context.getBean(name, MeterRegistry.class);
                            assertThat(registry.find("tokenrefresh.refreshes").tag("provider", "metered").counter())
                                    .as("tokenrefresh.refreshes in registry " + name).isNotNull();
                        }
                    });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoRegistries {
        @Bean
        SimpleMeterRegistry first() {
            return new SimpleMeterRegistry();
        }

        @Bean
        SimpleMeterRegistry second() {
            return new SimpleMeterRegistry();
        }
    }
}
