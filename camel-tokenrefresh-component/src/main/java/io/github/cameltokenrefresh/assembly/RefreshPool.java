package io.github.cameltokenrefresh.assembly;

import java.util.concurrent.ExecutorService;

import io.github.cameltokenrefresh.internal.ProviderDefinition;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The threads that refresh one provider's accounts: background refreshes and the accounts of a scheduled or start-up
 * pass. All of them, at once, up to the provider's refreshConcurrency (a core pool that size, not a pool that grows
 * only once its queue is full), and a queue without bound, so no caller ever runs someone else's refresh. A thread pool
 * profile with id {@value #PROFILE} in the context sizes it instead, the Camel way of tuning pools.
 */
final class RefreshPool {

    static final String PROFILE = "tokenrefresh";

    private RefreshPool() {
    }

    static ExecutorService create(CamelContext context, ProviderDefinition definition) {
        String name = "TokenRefresh-" + definition.name();
        ThreadPoolProfile configured = context.getExecutorServiceManager().getThreadPoolProfile(PROFILE);
        if (configured != null) {
            return context.getExecutorServiceManager().newThreadPool(definition, name, configured);
        }
        int size = definition.schedule().refreshConcurrency();
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(size);
        profile.setMaxPoolSize(size);
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        profile.setKeepAliveTime(60L);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return context.getExecutorServiceManager().newThreadPool(definition, name, profile);
    }
}
