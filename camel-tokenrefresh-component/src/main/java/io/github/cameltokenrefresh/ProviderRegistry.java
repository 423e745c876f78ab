package io.github.cameltokenrefresh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;

import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.internal.ProviderDefinition.StoreSettings;
import io.github.cameltokenrefresh.internal.observe.ProviderObservers;
import io.github.cameltokenrefresh.internal.wire.CamelHttpTokenClient;
import io.github.cameltokenrefresh.route.TokenDecorations;
import io.github.cameltokenrefresh.store.FileTokenStore;
import io.github.cameltokenrefresh.store.TokenStore;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers of one component: one registration per name, holding the definition an endpoint URI declared, the
 * running provider, its observers, the endpoints that use it and its schedule. When the last endpoint naming a
 * provider stops, all of it goes, so a reloaded route may define the provider anew.
 */
final class ProviderRegistry {

    /** The category the docs name for configuration warnings. */
    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.ProviderFactory");

    /** Changed under the registry's lock; read without it by schedules firing. */
    private static final class Registration {
        volatile ProviderDefinition declared;
        volatile Provider provider;
        volatile ProviderObservers observers;
        volatile ScheduledRefreshRoute schedule;
        /** The thread of the start-up pass (expiry index, refreshOnStart), so routes take traffic meanwhile. */
        volatile ExecutorService startup;
        final Set<TokenRefreshEndpoint> users = new HashSet<>();
    }

    private final Map<String, Registration> registrations = new ConcurrentSkipListMap<>();
    private final Map<Path, FileTokenStore> fileStores = new ConcurrentHashMap<>();
    private final CamelContext context;
    volatile PermissionCheck permissionCheck = FileTokenStore::findExposedFiles;

    ProviderRegistry(CamelContext context) {
        this.context = context;
    }

    /** Records the definition an endpoint URI declares; a second, different one is an error naming the options. */
    synchronized void declare(String name, ProviderDefinition definition) {
        Registration registration = registrations.computeIfAbsent(name, n -> new Registration());
        ProviderDefinition other = registration.declared != null ? registration.declared
                : registration.provider != null ? registration.provider.definition() : null;
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

    synchronized void use(String name, TokenRefreshEndpoint endpoint) {
        registrations.computeIfAbsent(name, n -> new Registration()).users.add(endpoint);
    }

    /** Whether a URI declared the provider, or it runs. */
    synchronized boolean isDeclared(String name) {
        Registration registration = registrations.get(name);
        return registration != null && (registration.declared != null || registration.provider != null);
    }

    /**
     * The running provider of that name, built and started on first use from the declared definition, or from
     * {@code otherwise} when no URI declared one. Its store is checked outside the registry's lock: that may read the
     * disk, and other providers' routes must not wait for it.
     */
    Provider provider(String name, DefinitionSource otherwise, Clock clock) {
        while (true) {
            Registration registration;
            ProviderDefinition definition;
            synchronized (this) {
                registration = registrations.computeIfAbsent(name, n -> new Registration());
                if (registration.provider != null) {
                    return registration.provider;
                }
                definition = registration.declared != null ? registration.declared : otherwise.read(name);
            }
            ScheduledRefreshRoute.validate(context, definition);
            TokenStore store = store(definition.store(), name);
            synchronized (this) {
                if (registrations.get(name) != registration) {
                    continue; // released meanwhile: start over with what is registered now
                }
                if (registration.provider == null) {
                    start(name, registration, definition, store, clock);
                }
                return registration.provider;
            }
        }
    }

    private void start(String name, Registration registration, ProviderDefinition definition, TokenStore store,
                       Clock clock) {
        Provider provider = new Provider(definition, store, client(definition), RefreshPool.create(context, definition),
                                         clock);
        provider.endLeaseWaitsWhen(() -> context.isStopping() || context.isStopped());
        ServiceHelper.startService(provider);
        TokenDecorations.of(context).track(provider);
        registration.observers = ProviderObservers.attach(context, provider);
        registration.provider = provider;
        registration.startup = context.getExecutorServiceManager().newSingleThreadExecutor(definition,
                                                                                            "TokenRefreshStartup-" + name);
        provider.startPassesInBackground(registration.startup);
        if (definition.schedule().isScheduled()) {
            registration.schedule = new ScheduledRefreshRoute(context, provider, () -> running(name));
            registration.schedule.addOnceStarted();
        }
    }

    /**
     * An endpoint names this account of the provider: its record, about to be read, must be owner-only even where
     * the directories already hide it (a record checked as it is used, not every record at start).
     */
    void checkRecord(Provider provider, String account) {
        if (provider.store() instanceof FileTokenStore store && fileStores.containsValue(store)) {
            Path exposed;
            try {
                exposed = store.findExposedRecord(provider.name(), account);
            } catch (IOException e) {
                throw InvalidOption.of(provider.name(), "storeDirectory", "cannot be checked: " + e.getMessage());
            }
            if (exposed != null) {
                report(provider.name(), List.of(exposed), provider.definition().store().allowExposedStore());
            }
        }
    }

    /** The provider running under that name, or null; without the lock, which a removal of the schedule may hold. */
    Provider running(String name) {
        Registration registration = registrations.get(name);
        return registration == null ? null : registration.provider;
    }

    /** Where a provider's definition comes from when no endpoint URI declared it: its bean or the component. */
    @FunctionalInterface
    interface DefinitionSource {
        ProviderDefinition read(String name);
    }

    /** The endpoint stopped: when no endpoint names its provider any more, the provider and its definition go. */
    synchronized void release(TokenRefreshEndpoint endpoint) {
        String name = endpoint.getProvider();
        Registration registration = registrations.get(name);
        if (registration == null || !registration.users.remove(endpoint) || !registration.users.isEmpty()
            || context.isStopping() || context.isStopped()) {
            // the whole context stops (stopAll stops the providers): the declarations stay for its next start
            return;
        }
        registrations.remove(name);
        stop(registration);
    }

    synchronized Map<String, Provider> providers() {
        Map<String, Provider> running = new TreeMap<>();
        registrations.forEach((name, r) -> {
            if (r.provider != null) {
                running.put(name, r.provider);
            }
        });
        return running;
    }

    /** The component stops: every provider stops; definitions stay, as the endpoints that declared them do. */
    synchronized void stopAll() {
        registrations.values().forEach(r -> {
            stop(r);
            r.provider = null;
            r.observers = null;
            r.schedule = null;
            r.startup = null;
        });
    }

    private void stop(Registration registration) {
        if (registration.schedule != null) {
            registration.schedule.remove();
        }
        if (registration.observers != null) {
            registration.observers.detach();
        }
        if (registration.startup != null) {
            // a start-up pass still reading the store stops; refreshes it started finish on the pool (below)
            context.getExecutorServiceManager().shutdownNow(registration.startup);
        }
        if (registration.provider != null) {
            TokenDecorations.of(context).untrack(registration.provider);
            ServiceHelper.stopService(registration.provider);
            // let refreshes under way finish first: the token endpoint may already have rotated the refresh token
            context.getExecutorServiceManager().shutdownGraceful(registration.provider.executor(), 30_000);
        }
    }

    private CamelHttpTokenClient client(ProviderDefinition definition) {
        return new CamelHttpTokenClient(context, definition.dialect().tokenUrl(), definition.http().httpOptions(),
                                        definition.http().sslContextParameters(), definition.http().connectTimeout(),
                                        definition.http().responseTimeout(),
                                        definition.schedule().refreshConcurrency());
    }

    /** The store bean, or one file store per directory shared by the providers using it. */
    private TokenStore store(StoreSettings settings, String name) {
        if (settings.store() != null) {
            return settings.store();
        }
        Path directory = settings.storeDirectory();
        FileTokenStore store = fileStores.computeIfAbsent(directory, d -> new FileTokenStore(d, settings.storeEncryptionKey()));
        if (!store.usesKey(settings.storeEncryptionKey())) {
            throw new IllegalArgumentException("tokenrefresh: option storeEncryptionKey: providers sharing the store "
                                               + directory + " must use the same key, or none");
        }
        report(name, exposed(name, store), settings.allowExposedStore());
        return store;
    }

    /**
     * Token records are as secret as passwords: refuse a store others can read, unless told to carry on. The
     * directories are checked, and the records only where the directories let others pass (FileTokenStore
     * #findExposedFiles(String)), so a store of 100,000 accounts costs two stats, not a walk.
     */
    private List<Path> exposed(String name, FileTokenStore store) {
        try {
            return permissionCheck.exposed(store, name);
        } catch (IOException e) {
            throw InvalidOption.of(name, "storeDirectory", "cannot be checked: " + e.getMessage());
        }
    }

    private static void report(String name, List<Path> exposed, boolean allowExposed) {
        if (exposed.isEmpty()) {
            return;
        }
        String problem = exposed.size() + " file(s) readable or writable by group or others, e.g. " + exposed.get(0)
                         + "; make them owner-only (chmod 600 files, 700 directories)";
        if (!allowExposed) {
            throw InvalidOption.of(name, "storeDirectory", "has " + problem + ", or set allowExposedStore=true");
        }
        LOG.warn("tokenrefresh:{}: the token store has {}", name, problem);
    }

    /** How a file store is checked; a seam for the test that blocks it. */
    @FunctionalInterface
    interface PermissionCheck {
        List<Path> exposed(FileTokenStore store, String provider) throws IOException;
    }
}
