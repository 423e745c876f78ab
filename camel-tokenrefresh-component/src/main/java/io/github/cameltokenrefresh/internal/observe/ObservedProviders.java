package io.github.cameltokenrefresh.internal.observe;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.internal.Provider;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;

/** The running providers of a Camel context, as the dev console lists them: a context plugin. */
final class ObservedProviders {

    private final Map<Provider, Boolean> providers = new ConcurrentHashMap<>();

    static ObservedProviders of(CamelContext context) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        synchronized (extension) {
            ObservedProviders observed = extension.getContextPlugin(ObservedProviders.class);
            if (observed == null) {
                observed = new ObservedProviders();
                extension.addContextPlugin(ObservedProviders.class, observed);
            }
            return observed;
        }
    }

    void add(Provider provider) {
        providers.put(provider, Boolean.TRUE);
    }

    void remove(Provider provider) {
        providers.remove(provider);
    }

    /** By name. */
    Map<String, Provider> byName() {
        Map<String, Provider> sorted = new TreeMap<>();
        providers.keySet().forEach(p -> sorted.put(p.name(), p));
        return sorted;
    }
}
