package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import io.github.cameltokenrefresh.source.Provider;
import io.github.cameltokenrefresh.store.FileTokenStore;
import io.github.cameltokenrefresh.store.TokenStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.PropertiesHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokenrefresh component: keeps OAuth2 access tokens of named providers fresh. Holds the one registry of
 * providers, so every endpoint, route and thread that names a provider shares its tokens.
 */
@Component("tokenrefresh")
public class TokenRefreshComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefreshComponent.class);

    /** Options that belong to one endpoint and do not define the provider. */
    private static final Set<String> ENDPOINT_OPTIONS
            = Set.of("operation", "account", "headerName", "headerPrefix", "lazyStartProducer", "refreshToken", "events",
                     "bridgeErrorHandler", "exceptionHandler", "exchangePattern");

    @Metadata(description = "Defaults for every provider configured by endpoint URIs or by component options; endpoint"
                            + " options override them. A provider bean is a complete definition of its own.")
    private TokenRefreshConfiguration configuration = new TokenRefreshConfiguration();

    private final Map<String, TokenRefreshConfiguration> definitions = new ConcurrentHashMap<>();
    private final Map<String, Provider> providers = new ConcurrentHashMap<>();
    private final Map<String, ProviderObservers> observers = new ConcurrentHashMap<>();
    private final Map<String, TokenRefreshConfiguration> builtFrom = new ConcurrentHashMap<>();
    private final Map<Path, FileTokenStore> fileStores = new ConcurrentHashMap<>();
    /** The live endpoints naming each provider; when the last one goes, its definition and provider go too. */
    private final Map<String, Set<TokenRefreshEndpoint>> users = new ConcurrentHashMap<>();
    private ExecutorService executor;
    private Clock clock = Clock.systemUTC();

    public TokenRefreshComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("tokenrefresh: the provider name is required, as in tokenrefresh:aweber");
        }
        String name = remaining;
        TokenRefreshConfiguration base = providerBean(name);
        TokenRefreshConfiguration config = (base != null ? base : configuration).copy();
        TokenRefreshEndpoint endpoint = new TokenRefreshEndpoint(uri, this, name, config);

        boolean defines = parameters.keySet().stream().anyMatch(k -> !ENDPOINT_OPTIONS.contains(k));
        config.setHeaders(merge(config.getHeaders(), PropertiesHelper.extractProperties(parameters, "header.")));
        config.setParameters(merge(config.getParameters(), PropertiesHelper.extractProperties(parameters, "param.")));
        config.setHttpOptions(merge(config.getHttpOptions(), PropertiesHelper.extractProperties(parameters, "http.")));
        setProperties(endpoint, parameters);
        endpoint.setDefinesProvider(defines);

        if (defines) {
            define(name, config);
        }
        users.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(endpoint);
        return endpoint;
    }

    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> extra) {
        if (extra.isEmpty()) {
            return base;
        }
        Map<String, Object> merged = new java.util.LinkedHashMap<>();
        if (base != null) {
            merged.putAll(base);
        }
        merged.putAll(extra);
        return merged;
    }

    /** A bean of type TokenRefreshConfiguration named after the provider, if the registry has one. */
    private TokenRefreshConfiguration providerBean(String name) {
        Object bean = getCamelContext().getRegistry().lookupByName(name);
        return bean instanceof TokenRefreshConfiguration ? (TokenRefreshConfiguration) bean : null;
    }

    /** Records the endpoint URI that configures a provider; a second, different one is an error. */
    private void define(String name, TokenRefreshConfiguration config) {
        TokenRefreshConfiguration existing = definitions.putIfAbsent(name, config);
        TokenRefreshConfiguration other = existing != null ? existing : builtFrom.get(name);
        if (other != null && other != config) {
            List<String> differing = TokenRefreshConfiguration.differences(other, config);
            if (!differing.isEmpty()) {
                throw new IllegalArgumentException("tokenrefresh:" + name + " is configured differently by two endpoints"
                                                   + " (options " + differing + "); configure a provider once (one"
                                                   + " URI, a bean, or component options) and name it elsewhere");
            }
        }
    }

    /**
     * An endpoint was stopped (its route was removed or reloaded): when no endpoint names its provider any more,
     * forget the definition and stop the provider, so a reloaded route may configure it anew.
     */
    void release(TokenRefreshEndpoint endpoint) {
        String name = endpoint.getProvider();
        synchronized (providers) {
            Set<TokenRefreshEndpoint> set = users.get(name);
            if (set == null || !set.remove(endpoint) || !set.isEmpty()) {
                return;
            }
            users.remove(name);
            definitions.remove(name);
            builtFrom.remove(name);
            Provider provider = providers.remove(name);
            ProviderObservers views = observers.remove(name);
            if (views != null) {
                views.detach();
            }
            if (provider != null) {
                ServiceHelper.stopService(provider);
            }
        }
    }

    /** The provider of that name, created and started on first use from its one configuration. */
    public Provider provider(String name) {
        Provider provider = providers.get(name);
        if (provider != null) {
            return provider;
        }
        synchronized (providers) {
            provider = providers.get(name);
            if (provider == null) {
                TokenRefreshConfiguration config = definitions.get(name);
                if (config == null) {
                    TokenRefreshConfiguration bean = providerBean(name);
                    config = (bean != null ? bean : configuration).copy();
                }
                provider = new ProviderFactory(getCamelContext(), executor, clock, this::fileStore).create(name, config);
                ServiceHelper.startService(provider);
                builtFrom.put(name, config);
                providers.put(name, provider);
                observers.put(name, ProviderObservers.attach(getCamelContext(), provider));
                addScheduledRefreshRoute(name, config);
            }
            return provider;
        }
    }

    /**
     * With refreshCron or refreshInterval, a Quartz route that refreshes the provider's due accounts. It goes through
     * the camel-quartz component of the context, so the user's Quartz configuration (thread pool, job store) applies.
     * Misfire instruction 1 (fire once now) makes a missed run happen once, not once per missed fire.
     */
    private void addScheduledRefreshRoute(String name, TokenRefreshConfiguration config) {
        String trigger;
        if (config.getRefreshCron() != null) {
            trigger = "cron=" + config.getRefreshCron().trim().replace(' ', '+') + "&trigger.misfireInstruction=1";
        } else if (config.getRefreshInterval() > 0) {
            trigger = "trigger.repeatInterval=" + config.getRefreshInterval()
                      + "&trigger.repeatCount=-1&trigger.misfireInstruction=1";
        } else {
            return;
        }
        String routeId = "tokenrefresh-schedule-" + name;
        RouteBuilder route = new RouteBuilder() {
            @Override
            public void configure() {
                from("quartz://tokenrefresh/" + name + "?" + trigger).routeId(routeId)
                        .to("tokenrefresh:" + name + "?operation=refreshDue");
            }
        };
        ExtendedStartupListener addRoute = new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                if (alreadyStarted) {
                    onCamelContextFullyStarted(context, true);
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                if (context.getRoute(routeId) == null) {
                    context.addRoutes(route);
                }
            }
        };
        try {
            // routes added while the context is still starting would never start: add it once the context is up
            getCamelContext().addStartupListener(addRoute);
        } catch (Exception e) {
            throw new IllegalStateException("tokenrefresh:" + name + ": cannot add the scheduled refresh route " + routeId, e);
        }
    }

    /** Whether provider {@code name} is defined by an endpoint URI or a bean, or already built. */
    boolean isKnown(String name) {
        return providers.containsKey(name) || definitions.containsKey(name) || providerBean(name) != null;
    }

    /** The providers started so far. */
    public Map<String, Provider> getProviders() {
        return Map.copyOf(providers);
    }

    /** One file store per directory, shared by the providers using it; they must agree on its encryption key. */
    private TokenStore fileStore(ProviderFactory.FileStoreKey key) {
        Path directory = key.directory().toAbsolutePath().normalize();
        FileTokenStore store = fileStores.computeIfAbsent(directory, d -> new FileTokenStore(d, key.key()));
        if (!store.usesKey(key.key())) {
            throw new IllegalArgumentException("tokenrefresh: option storeEncryptionKey: providers sharing the store "
                                               + directory + " must use the same key, or none");
        }
        return store;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (LoggerFactory.getLogger("org.apache.hc.client5.http.headers").isDebugEnabled()
            || LoggerFactory.getLogger("org.apache.hc.client5.http.wire").isDebugEnabled()) {
            // token calls use a connection that never logs; the user's own API calls do not
            LOG.warn("Apache HttpClient header/wire logging is at DEBUG: the Authorization header of every API call"
                     + " (the Bearer access token) is written to the log by org.apache.hc.client5.http.headers/wire."
                     + " Token calls made by tokenrefresh are not logged. Keep those loggers at INFO outside"
                     + " development.");
        }
        if (executor == null) {
            // background refreshes only: callers never wait on this pool
            executor = getCamelContext().getExecutorServiceManager().newThreadPool(this, "TokenRefresh", 0, 4);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (executor != null) {
            // let refreshes under way finish first: the token endpoint may already have rotated the refresh token
            getCamelContext().getExecutorServiceManager().shutdownGraceful(executor, 30_000);
            executor = null;
        }
        observers.values().forEach(ProviderObservers::detach);
        observers.clear();
        ServiceHelper.stopService(providers.values());
        providers.clear();
        builtFrom.clear();
        super.doStop();
    }

    public TokenRefreshConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * Defaults for every provider configured by endpoint URIs or by component options; endpoint options override them.
     * A provider bean is a complete definition of its own.
     */
    public void setConfiguration(TokenRefreshConfiguration configuration) {
        this.configuration = configuration;
    }

    Clock getClock() {
        return clock;
    }

    /** For tests that move time. */
    void setClock(Clock clock) {
        this.clock = clock;
    }
}
