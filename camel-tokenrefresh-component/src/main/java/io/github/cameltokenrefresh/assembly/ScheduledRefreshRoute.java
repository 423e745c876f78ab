package io.github.cameltokenrefresh.assembly;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Schedule;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With refreshCron or refreshInterval, the route {@code tokenrefresh-schedule-<provider>} that refreshes the
 * provider's due accounts. It goes through the camel-quartz component of the context, so the user's Quartz
 * configuration (thread pool, job store) applies. Misfire instruction 1 (fire once now) makes a missed run happen
 * once, not once per missed fire. With refreshClusterNamespace it reads from {@code master:<namespace>:quartz:...}, so
 * only the leader of the namespace among the contexts sharing a cluster service runs passes. It calls its provider directly rather than through a tokenrefresh endpoint, so it
 * never keeps the provider alive: when the last route naming the provider goes, so does this one.
 */
final class ScheduledRefreshRoute {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRefreshRoute.class);

    private final CamelContext context;
    private final Provider provider;
    private final Supplier<Provider> running;
    private final String routeId;
    private final AtomicBoolean added = new AtomicBoolean();

    /**
     * @param running the provider running under this name when the schedule fires (after a restart of the context,
     *                not the one this route was added for), or null when none runs
     */
    ScheduledRefreshRoute(CamelContext context, Provider provider, Supplier<Provider> running) {
        this.context = context;
        this.provider = provider;
        this.running = running;
        this.routeId = "tokenrefresh-schedule-" + provider.name();
    }

    /** Routes added while the context is still starting would never start: add it once the context is up. */
    void addOnceStarted() {
        ExtendedStartupListener addRoute = new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext camelContext, boolean alreadyStarted) throws Exception {
                if (alreadyStarted) {
                    onCamelContextFullyStarted(camelContext, true);
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext camelContext, boolean alreadyStarted) throws Exception {
                // once per provider: Camel calls startup listeners again as routes are added to a running context
                if (!provider.isStarted() || !added.compareAndSet(false, true)) {
                    return;
                }
                if (camelContext.getRoute(routeId) != null) {
                    // the schedule of an earlier provider of this name (a component created anew at a restart)
                    camelContext.getRouteController().stopRoute(routeId);
                    camelContext.removeRoute(routeId);
                }
                camelContext.addRoutes(route());
            }
        };
        try {
            context.addStartupListener(addRoute);
        } catch (Exception e) {
            throw new IllegalStateException("tokenrefresh:" + provider.name() + ": cannot add the scheduled refresh route "
                                            + routeId, e);
        }
    }

    /**
     * With refreshClusterNamespace, the schedule reads from a master: endpoint: camel-master must be on the class path
     * and the context must have a cluster service, or the route would fail only once the context started.
     */
    static void validate(CamelContext context, ProviderDefinition definition) {
        String namespace = definition.schedule().refreshClusterNamespace();
        if (namespace == null) {
            return;
        }
        if (ClusterServiceHelper.lookupService(context).isEmpty()) {
            throw InvalidOption.of(definition.name(), "refreshClusterNamespace",
                                   "needs a CamelClusterService in the context (camel-file's FileLockClusterService,"
                                   + " camel-kubernetes, camel-infinispan, ...) to elect the leader of namespace '"
                                   + namespace + "'");
        }
        if (context.getClassResolver().resolveClass("org.apache.camel.component.master.MasterComponent") == null) {
            throw InvalidOption.of(definition.name(), "refreshClusterNamespace",
                                   "needs camel-master on the class path (the schedule route reads from master:"
                                   + namespace + ":quartz:...)");
        }
    }

    private RouteBuilder route() {
        Schedule schedule = provider.definition().schedule();
        String trigger = schedule.refreshCron() != null
                ? "cron=" + schedule.refreshCron().replace(' ', '+') + "&trigger.misfireInstruction=1"
                : "trigger.repeatInterval=" + schedule.refreshInterval().toMillis()
                  + "&trigger.repeatCount=-1&trigger.misfireInstruction=1";
        String quartz = "quartz://tokenrefresh/" + provider.name() + "?" + trigger;
        // under a cluster service only the namespace's leader consumes: one pass per period cluster-wide
        String uri = schedule.refreshClusterNamespace() == null ? quartz
                : "master:" + schedule.refreshClusterNamespace() + ":" + quartz;
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId)
                        .process(exchange -> {
                            Provider current = running.get();
                            exchange.getMessage().setBody(current == null ? null : current.refreshDue());
                        });
            }
        };
    }

    /** The provider stopped: its schedule goes too, unless the whole context is stopping anyway. */
    void remove() {
        if (context.isStopping() || context.isStopped() || context.getRoute(routeId) == null) {
            return;
        }
        try {
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
        } catch (Exception e) {
            LOG.warn("tokenrefresh:{}: cannot remove the scheduled refresh route {}: {}", provider.name(), routeId,
                     e.toString());
        }
    }
}
