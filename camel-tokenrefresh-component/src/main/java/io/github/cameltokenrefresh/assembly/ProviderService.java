package io.github.cameltokenrefresh.assembly;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.store.TokenStore;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * One provider's life, a Camel Service. Starting checks its schedule's needs and its store, makes its token client,
 * refresh pool and {@link Provider}, publishes it (the registry's watchers attach health, JMX, meters and the 401 index),
 * and starts its start-up pass thread and schedule route. Stopping takes all of it away again and lets the refreshes
 * under way finish: the token endpoint may already have rotated their refresh token. The registry starts and stops it
 * outside its lock.
 */
public final class ProviderService extends ServiceSupport {

    /** How long a stop waits for the refreshes under way. */
    private static final long DRAIN_MILLIS = 30_000;

    private final CamelContext context;
    private final ProviderDefinition definition;
    private final Clock clock;
    private final ProviderRegistry registry;
    /** The provider of the same name still stopping when this one was made, or null: this one starts after it. */
    private final ProviderService predecessor;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private volatile Provider provider;
    private ExecutorService pool;
    private ExecutorService startup;
    private ScheduledRefreshRoute schedule;
    private boolean published;
    /** Released before or while it started: it must not start, or not show itself, any more. */
    private volatile boolean withdrawn;

    ProviderService(CamelContext context, ProviderDefinition definition, Clock clock, ProviderRegistry registry,
                    ProviderService predecessor) {
        this.context = context;
        this.definition = definition;
        this.clock = clock;
        this.registry = registry;
        this.predecessor = predecessor;
    }

    /** The running provider; null before the start and after a failed one. */
    public Provider provider() {
        return provider;
    }

    public ProviderDefinition definition() {
        return definition;
    }

    /** Completes once this provider stopped, its refreshes under way included (or its start failed). */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    @Override
    protected void doStart() throws Exception {
        if (predecessor != null) {
            // its refreshes may be rotating the refresh tokens of the very accounts this one would refresh
            awaitStopped(predecessor);
        }
        synchronized (this) {
            if (withdrawn) {
                return; // released before its start: the registry starts a new one for whoever asks again
            }
        }
        String name = definition.name();
        try {
            ScheduledRefreshRoute.validate(context, definition);
            TokenStore store = registry.stores().store(definition.store(), name);
            TokenClient client = TokenClientFactory.of(context).create(context, definition);
            ExecutorService refreshes = RefreshPool.create(context, definition);
            synchronized (this) {
                pool = refreshes;
            }
            Provider started = new Provider(definition, store, client,
                                            TokenClientFactory.of(context).createRevocation(context, definition),
                                            refreshes, clock);
            // a lease wait ends once the provider is withdrawn or the application stops: neither waits for one
            started.endLeaseWaitsWhen(() -> withdrawn || context.isStopping() || context.isStopped());
            ServiceHelper.startService(started);
            provider = started;
            synchronized (this) {
                if (withdrawn) {
                    return; // released while it started: its stop, pending, takes down the pool and the provider
                }
                registry.publish(started);
                published = true;
                startup = context.getExecutorServiceManager().newSingleThreadExecutor(this, "TokenRefreshStartup-" + name);
                started.startPassesInBackground(startup);
                if (definition.schedule().isScheduled()) {
                    schedule = new ScheduledRefreshRoute(context, started, () -> registry.running(name));
                    schedule.addOnceStarted();
                }
            }
        } catch (RuntimeException | Error e) {
            takeDown();
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        takeDown();
    }

    /** Stops it; stopped, too, when it never started (released before its start), so a successor never waits. */
    void stopNow() {
        try {
            stop();
        } finally {
            stopped.complete(null);
        }
    }

    /**
     * Takes the provider out of sight at once: out of the registry's read side (its views go), its schedule route
     * removed, its start-up pass stopped. Quick, unless a scheduled pass is in flight: Camel's graceful route stop
     * waits for it. The registry calls it on the releasing thread, which may hold Camel's route lock (a route being
     * removed): that is why {@link #doStop} does the waiting part only later, on a thread of its own.
     */
    synchronized void withdraw() {
        withdrawn = true;
        if (schedule != null) {
            schedule.remove();
            schedule = null;
        }
        if (published) {
            registry.unpublish(provider);
            published = false;
        }
        if (startup != null) {
            // a start-up pass still reading the store stops; refreshes it started finish on the pool (takeDown)
            context.getExecutorServiceManager().shutdownNow(startup);
            startup = null;
        }
    }

    /** Takes away what was made, in reverse order; once only. */
    private void takeDown() {
        try {
            withdraw();
            if (provider != null) {
                // first the provider: its token client refuses new calls at once (typed, no endpoint pause) and waits
                // for the calls in flight, whose refresh tokens are spent, to get their answers
                ServiceHelper.stopService(provider);
            }
            ExecutorService draining;
            synchronized (this) {
                draining = pool;
                pool = null;
            }
            if (draining != null) {
                // then the refreshes under way save what they got; those not started fail typed, nothing sent
                context.getExecutorServiceManager().shutdownGraceful(draining, DRAIN_MILLIS);
            }
        } finally {
            stopped.complete(null);
        }
    }

    private static void awaitStopped(ProviderService predecessor) throws InterruptedException {
        try {
            predecessor.stopped().get();
        } catch (ExecutionException e) {
            // never completed exceptionally
        }
    }

    @Override
    public String toString() {
        return "ProviderService[" + definition.name() + "]";
    }
}
