package io.github.cameltokenrefresh.internal.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.ObjectName;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.RunningProviders;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ManagementStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches the views operations teams use to each provider of the context's registry as it starts, and takes them
 * away as it stops: a readiness health check, a JMX MBean and Micrometer meters, each only when the context offers it
 * (camel-health, camel-management, a MeterRegistry). Every view reads the provider's account statuses, which its clock
 * computes. The dev console needs nothing attached: it reads the registry.
 */
public final class ProviderObservers implements RunningProviders.Watcher {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderObservers.class);

    /** What was attached to one provider, so that exactly that is taken away. */
    private static final class Attached {
        TokenRefreshHealthCheck healthCheck;
        ObjectName mbeanName;
        AutoCloseable metrics;
    }

    private final CamelContext context;
    private final Map<Provider, Attached> attached = new ConcurrentHashMap<>();

    private ProviderObservers(CamelContext context) {
        this.context = context;
    }

    /** From now on, every provider of the registry gets its views. */
    public static void watch(CamelContext context, RunningProviders registry) {
        registry.watch(new ProviderObservers(context));
    }

    @Override
    public void started(Provider provider) {
        Attached views = new Attached();
        views.healthCheck = attachHealthCheck(provider);
        views.mbeanName = attachMBean(provider);
        views.metrics = attachMetrics(provider);
        attached.put(provider, views);
    }

    @Override
    public void stopped(Provider provider) {
        Attached views = attached.remove(provider);
        if (views == null) {
            return;
        }
        if (views.healthCheck != null) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry != null) {
                registry.unregister(views.healthCheck);
            }
        }
        if (views.mbeanName != null) {
            try {
                context.getManagementStrategy().getManagementAgent().unregister(views.mbeanName);
            } catch (Exception e) {
                LOG.debug("tokenrefresh:{}: cannot unregister the JMX MBean: {}", provider.name(), e.toString());
            }
        }
        if (views.metrics != null) {
            try {
                views.metrics.close();
            } catch (Exception e) {
                LOG.debug("tokenrefresh:{}: cannot remove the meters: {}", provider.name(), e.toString());
            }
        }
    }

    private TokenRefreshHealthCheck attachHealthCheck(Provider provider) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            return null;
        }
        TokenRefreshHealthCheck healthCheck = new TokenRefreshHealthCheck(provider);
        healthCheck.setCamelContext(context);
        registry.register(healthCheck);
        return healthCheck;
    }

    private ObjectName attachMBean(Provider provider) {
        ManagementStrategy strategy = context.getManagementStrategy();
        if (strategy == null || strategy.getManagementAgent() == null) {
            return null;
        }
        try {
            ObjectName name = new ObjectName(strategy.getManagementAgent().getMBeanObjectDomainName() + ":context="
                                             + ObjectName.quote(context.getManagementName()) + ",type=tokenrefresh,name="
                                             + ObjectName.quote(provider.name()));
            strategy.getManagementAgent().register(new ManagedProvider(provider), name);
            return name;
        } catch (Exception e) {
            LOG.warn("tokenrefresh:{}: cannot register the JMX MBean: {}", provider.name(), e.toString());
            return null;
        }
    }

    private AutoCloseable attachMetrics(Provider provider) {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // Micrometer is optional
        }
        return MicrometerTokenMetrics.bindIfAvailable(context, provider);
    }
}
