package io.github.cameltokenrefresh.internal;

import java.util.SortedMap;

import org.apache.camel.CamelContext;

/**
 * The providers running in one Camel context, by name: the read side of the one provider registry, which the
 * component installs as a context plugin. The dev console, health checks, JMX, meters and the 401 index read or watch
 * the providers here, so no view keeps a list of its own.
 */
public interface RunningProviders {

    /**
     * Hears providers start and stop, in that order for each provider. Called while the registry publishes a provider,
     * so it must return at once (attach, detach, index): never wait for a token call or a pool.
     */
    interface Watcher {

        /** The provider runs; nothing has used it yet. */
        void started(Provider provider);

        /** The provider stops: it is no longer reachable by its name, its refreshes under way may still finish. */
        void stopped(Provider provider);
    }

    /** The registry of the context, or null when no tokenrefresh component was used in it. */
    static RunningProviders find(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(RunningProviders.class);
    }

    /** The running providers, sorted by name: a snapshot. */
    SortedMap<String, Provider> byName();

    /** From now on, tells the watcher of every provider that starts or stops; at once of those already running. */
    void watch(Watcher watcher);
}
