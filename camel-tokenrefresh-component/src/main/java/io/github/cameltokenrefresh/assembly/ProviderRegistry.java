package io.github.cameltokenrefresh.assembly;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.internal.RunningProviders;
import io.github.cameltokenrefresh.internal.observe.ProviderObservers;
import io.github.cameltokenrefresh.route.TokenDecorations;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;

/**
 * The providers of a Camel context by name, one registry per context (a context plugin, which the views read as
 * {@link RunningProviders}). It maps each name to the definition an endpoint URI declared, the endpoints using it (the
 * reference count, as Camel's timer component counts a timer's consumers) and its {@link ProviderService}. Its lock
 * guards only those maps: a provider starts and stops outside it, so a provider that is slow to start or stop never
 * holds up a route naming another one.
 */
public final class ProviderRegistry implements RunningProviders {

    /** Changed under the registry's lock. */
    private static final class Registration {
        ProviderDefinition declared;
        ProviderService service;
        final Set<Object> users = new HashSet<>();

        ProviderDefinition definition() {
            return declared != null ? declared : service != null ? service.definition() : null;
        }
    }

    /** Where a provider's definition comes from when no endpoint URI declared it: its bean or the component. */
    @FunctionalInterface
    public interface DefinitionSource {
        ProviderDefinition read(String name);
    }

    private final CamelContext context;
    private final Map<String, Registration> registrations = new HashMap<>();
    /** Providers taken out of the map whose stop has not ended: a new provider of the same name starts after it. */
    private final Map<String, ProviderService> stopping = new HashMap<>();
    private final ProviderStores stores = new ProviderStores();
    /** The read side: published providers, and who watches them; under their own lock, held only to notify. */
    private final SortedMap<String, Provider> running = new ConcurrentSkipListMap<>();
    private final List<Watcher> watchers = new ArrayList<>();

    private ProviderRegistry(CamelContext context) {
        this.context = context;
    }

    /** The registry of the context, created on first use with the views that watch it. */
    public static ProviderRegistry of(CamelContext context) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        ProviderRegistry registry;
        synchronized (extension) {
            registry = extension.getContextPlugin(ProviderRegistry.class);
            if (registry != null) {
                return registry;
            }
            registry = new ProviderRegistry(context);
            extension.addContextPlugin(ProviderRegistry.class, registry);
            extension.addContextPlugin(RunningProviders.class, registry);
        }
        ProviderObservers.watch(context, registry);
        TokenDecorations.of(context); // indexes every provider's access tokens from now on
        return registry;
    }

    /** Records the definition an endpoint URI declares; a second, different one is an error naming the options. */
    public synchronized void declare(String name, ProviderDefinition definition) {
        Registration registration = registrations.computeIfAbsent(name, n -> new Registration());
        ProviderDefinition other = registration.definition();
        if (other != null && !other.equals(definition)) {
            List<String> differing = other.differences(definition);
            throw new IllegalArgumentException("tokenrefresh:" + name + " is configured differently by two endpoints"
                                               + " (options " + differing + "); configure a provider once (one"
                                               + " URI, a bean, or component options) and name it elsewhere");
        }
        if (registration.declared == null) {
            registration.declared = definition;
        }
    }

    /**
     * An endpoint uses the provider: one reference more (once per endpoint). With {@code declared}, it declares it
     * again, as after its provider went while the endpoint was stopped.
     */
    public synchronized void use(String name, Object endpoint, ProviderDefinition declared) {
        registrations.computeIfAbsent(name, n -> new Registration()).users.add(endpoint);
        if (declared != null) {
            declare(name, declared);
        }
    }

    /** Whether a URI declared the provider, or it runs. */
    public synchronized boolean isDeclared(String name) {
        Registration registration = registrations.get(name);
        return registration != null && registration.definition() != null;
    }

    /**
     * The running provider of that name, started on first use from the declared definition, or from
     * {@code otherwise} when no URI declared one. Callers asking for the same name wait for one start; the start
     * itself (a store check may read the disk) runs outside the registry's lock.
     */
    public Provider provider(String name, DefinitionSource otherwise, Clock clock) {
        while (true) {
            ProviderService service;
            synchronized (this) {
                Registration registration = registrations.computeIfAbsent(name, n -> new Registration());
                if (registration.service == null) {
                    ProviderDefinition definition = registration.declared != null ? registration.declared
                            : otherwise.read(name);
                    registration.service = new ProviderService(context, definition, clock, this, stopping.get(name));
                }
                service = registration.service;
            }
            try {
                service.start();
            } catch (RuntimeException e) {
                forget(name, service);
                throw e;
            }
            Provider provider = service.provider();
            if (service.isStarted() && provider != null) {
                return provider;
            }
            // its start failed on another thread, or it was released meanwhile: start over with what is registered now
            forget(name, service);
        }
    }

    private synchronized void forget(String name, ProviderService service) {
        Registration registration = registrations.get(name);
        if (registration != null && registration.service == service) {
            registration.service = null;
        }
    }

    /**
     * The endpoint stopped: one reference less. The last one takes the provider and its definition out of the map, so
     * a reloaded route may declare it anew, withdraws it from the views, and stops it on a thread of its own: the
     * caller (a route being removed, holding Camel's route lock) does not wait for the refreshes under way. While the
     * context stops, the caller waits, so that they finish before the context is gone.
     */
    public void release(String name, Object endpoint) {
        ProviderService gone;
        synchronized (this) {
            Registration registration = registrations.get(name);
            if (registration == null || !registration.users.remove(endpoint) || !registration.users.isEmpty()) {
                return;
            }
            registrations.remove(name);
            gone = registration.service;
            if (gone == null) {
                return;
            }
            stopping.put(name, gone);
        }
        gone.withdraw();
        if (context.isStopping() || context.isStopped()) {
            stop(name, gone);
        } else {
            context.getExecutorServiceManager().newThread("TokenRefreshStop-" + name, () -> stop(name, gone)).start();
        }
    }

    /** The component stops: every provider stops, and the registry forgets what the endpoints declared. */
    public void stopAll() {
        Map<String, ProviderService> services = new TreeMap<>();
        List<ProviderService> alreadyStopping;
        synchronized (this) {
            registrations.forEach((name, r) -> {
                if (r.service != null) {
                    services.put(name, r.service);
                    stopping.put(name, r.service);
                }
            });
            // Camel drops its endpoints and components as the context stops: the next start declares everything anew
            registrations.clear();
            alreadyStopping = new ArrayList<>(stopping.values());
        }
        services.forEach(this::stop);
        alreadyStopping.forEach(s -> s.stopped().join());
    }

    private void stop(String name, ProviderService service) {
        try {
            service.stopNow();
        } finally {
            synchronized (this) {
                stopping.remove(name, service);
            }
        }
    }

    /** A producer names this account: its record must be owner-only (file store). */
    public void checkRecord(Provider provider, String account) {
        stores.checkRecord(provider, account);
    }

    /** For the test that blocks a store's permission check. */
    public void permissionCheck(ProviderStores.PermissionCheck check) {
        stores.permissionCheck(check);
    }

    ProviderStores stores() {
        return stores;
    }

    // ------------------------------------------------------------------ the read side

    /** The provider running under that name, or null; without the registry's lock. */
    Provider running(String name) {
        return running.get(name);
    }

    @Override
    public SortedMap<String, Provider> byName() {
        return new TreeMap<>(running);
    }

    @Override
    public void watch(Watcher watcher) {
        synchronized (watchers) {
            watchers.add(watcher);
            running.values().forEach(watcher::started);
        }
    }

    void publish(Provider provider) {
        synchronized (watchers) {
            running.put(provider.name(), provider);
            watchers.forEach(w -> w.started(provider));
        }
    }

    void unpublish(Provider provider) {
        synchronized (watchers) {
            if (running.remove(provider.name(), provider)) {
                watchers.forEach(w -> w.stopped(provider));
            }
        }
    }

    @Override
    public String toString() {
        return "ProviderRegistry" + running.keySet();
    }
}
