package io.github.cameltokenrefresh.internal.observe;

import javax.management.ObjectName;

import io.github.cameltokenrefresh.internal.Provider;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ManagementStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches the views operations teams use to one provider: a readiness health check, a JMX MBean, Micrometer meters
 * and the dev console's list, each only when the context offers it (camel-health, camel-management, a MeterRegistry).
 * Every view reads the provider's account statuses, which its clock computes.
 */
public final class ProviderObservers {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderObservers.class);

    private final CamelContext context;
    private final Provider provider;
    private TokenRefreshHealthCheck healthCheck;
    private ObjectName mbeanName;
    private AutoCloseable metrics;

    private ProviderObservers(CamelContext context, Provider provider) {
        this.context = context;
        this.provider = provider;
    }

    public static ProviderObservers attach(CamelContext context, Provider provider) {
        ProviderObservers observers = new ProviderObservers(context, provider);
        observers.attachHealthCheck();
        observers.attachMBean();
        observers.attachMetrics();
        ObservedProviders.of(context).add(provider);
        return observers;
    }

    private void attachHealthCheck() {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null) {
            healthCheck = new TokenRefreshHealthCheck(provider);
            healthCheck.setCamelContext(context);
            registry.register(healthCheck);
        }
    }

    private void attachMBean() {
        ManagementStrategy strategy = context.getManagementStrategy();
        if (strategy == null || strategy.getManagementAgent() == null) {
            return;
        }
        try {
            mbeanName = new ObjectName(strategy.getManagementAgent().getMBeanObjectDomainName() + ":context="
                                       + ObjectName.quote(context.getManagementName()) + ",type=tokenrefresh,name="
                                       + ObjectName.quote(provider.name()));
            strategy.getManagementAgent().register(new ManagedProvider(provider), mbeanName);
        } catch (Exception e) {
            LOG.warn("tokenrefresh:{}: cannot register the JMX MBean: {}", provider.name(), e.toString());
            mbeanName = null;
        }
    }

    private void attachMetrics() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return; // Micrometer is optional
        }
        metrics = MicrometerTokenMetrics.bindIfAvailable(context, provider);
    }

    public void detach() {
        ObservedProviders.of(context).remove(provider);
        if (healthCheck != null) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry != null) {
                registry.unregister(healthCheck);
            }
        }
        if (mbeanName != null) {
            try {
                context.getManagementStrategy().getManagementAgent().unregister(mbeanName);
            } catch (Exception e) {
                LOG.debug("tokenrefresh:{}: cannot unregister the JMX MBean: {}", provider.name(), e.toString());
            }
        }
        if (metrics != null) {
            try {
                metrics.close();
            } catch (Exception e) {
                LOG.debug("tokenrefresh:{}: cannot remove the meters: {}", provider.name(), e.toString());
            }
        }
    }
}
