package io.github.cameltokenrefresh;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cameltokenrefresh.assembly.EndpointOptions;
import io.github.cameltokenrefresh.assembly.ProviderDefinitions;
import io.github.cameltokenrefresh.assembly.ProviderRegistry;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.route.SendTimeDecoration;
import io.github.cameltokenrefresh.route.UnauthorizedHandlingCheck;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.ProviderTokens;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokenrefresh component: keeps OAuth2 access tokens of named providers fresh. Uses the context's one registry
 * of providers, so every endpoint, route and thread that names a provider shares its tokens.
 */
@Component("tokenrefresh")
public class TokenRefreshComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefreshComponent.class);

    @Metadata(description = "Defaults for every provider configured by endpoint URIs or by component options; endpoint"
                            + " options override them. A provider bean is a complete definition of its own.")
    private TokenRefreshConfiguration configuration = new TokenRefreshConfiguration();

    private volatile ProviderRegistry registry;
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

        boolean declares = EndpointOptions.declaresProvider(parameters.keySet());
        IllegalArgumentException unknownValue = EndpointOptions.removeUnknownEnumValues(name, parameters);
        config.setHeaders(merge(config.getHeaders(), PropertiesHelper.extractProperties(parameters, "header.")));
        config.setParameters(merge(config.getParameters(), PropertiesHelper.extractProperties(parameters, "param.")));
        config.setHttpOptions(merge(config.getHttpOptions(), PropertiesHelper.extractProperties(parameters, "http.")));
        setProperties(endpoint, parameters);
        endpoint.setDeclaresProvider(declares);

        if (unknownValue != null) {
            endpoint.setDeclarationError(unknownValue);
        } else if (declares) {
            // a wrong option fails as the route starts, not here: Camel would wrap the error with the endpoint URI,
            // and not every secret option's value is masked there
            try {
                ProviderDefinition declared = ProviderDefinitions.read(name, config);
                registry().declare(name, declared);
                endpoint.setDeclaredDefinition(declared);
            } catch (IllegalArgumentException e) {
                endpoint.setDeclarationError(e);
            }
        }
        registry().use(name, endpoint, null);
        return endpoint;
    }

    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> extra) {
        if (extra.isEmpty()) {
            return base;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
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

    /** The definition of a provider no URI declared: its bean, or the component options. */
    private ProviderDefinition undeclared(String name) {
        TokenRefreshConfiguration bean = providerBean(name);
        return ProviderDefinitions.read(name, (bean != null ? bean : configuration).copy());
    }

    /** The context's one registry of providers, shared by every tokenrefresh component in the context. */
    ProviderRegistry registry() {
        ProviderRegistry r = registry;
        if (r == null) {
            r = ProviderRegistry.of(getCamelContext());
            registry = r;
        }
        return r;
    }

    /** An endpoint starts: it uses its provider, and declares it again if its provider went while it was stopped. */
    void use(TokenRefreshEndpoint endpoint) {
        try {
            registry().use(endpoint.getProvider(), endpoint, endpoint.getDeclaredDefinition());
        } catch (IllegalArgumentException e) {
            endpoint.setDeclarationError(e);
        }
    }

    /** A producer of this account starts: the account's own record must be owner-only (file store). */
    void checkRecord(Provider provider, String account) {
        registry().checkRecord(provider, account);
    }

    /** An endpoint was stopped (its route was removed or reloaded). */
    void release(TokenRefreshEndpoint endpoint) {
        registry().release(endpoint.getProvider(), endpoint);
    }

    /** The running provider of that name, created and started on first use from its one definition. */
    Provider provider(String name) {
        return registry().provider(name, this::undeclared, clock);
    }

    /** The tokens of a provider, started on first use: for Java code and tests that need more than an endpoint. */
    public ProviderTokens tokens(String provider) {
        return provider(provider);
    }

    /**
     * Where provider {@code provider} keeps its tokens (its {@code store} option, else its file store), started on
     * first use: to seed or read records from Java code.
     */
    public TokenStore store(String provider) {
        return provider(provider).store();
    }

    /** Whether provider {@code name} is declared by an endpoint URI or a bean, or already runs. */
    boolean isKnown(String name) {
        return registry().isDeclared(name) || providerBean(name) != null;
    }

    /** The providers started so far, by name. */
    public Map<String, ProviderTokens> getProviders() {
        return Map.copyOf(registry().byName());
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // before the routes' HTTP endpoints exist, where possible: they take the listener from their component
        SendTimeDecoration.install(getCamelContext(), registry());
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
        startSendTimeProviders();
        getCamelContext().addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // nothing: the routes are checked once all of them exist
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                UnauthorizedHandlingCheck.warnIfUnguarded(context);
            }
        });
    }

    /**
     * Provider beans with an API base (their own or their preset's) start with the component: a route that only calls
     * their API, with no tokenrefresh step, is what starts nothing else. A wrong bean fails here, naming the option.
     */
    private void startSendTimeProviders() {
        Map<String, TokenRefreshConfiguration> beans
                = getCamelContext().getRegistry().findByTypeWithName(TokenRefreshConfiguration.class);
        beans.forEach((name, bean) -> {
            if (bean != configuration && ProviderDefinitions.hasApiBase(bean)) {
                Provider provider = provider(name);
                String refreshToken = bean.getRefreshToken();
                if (refreshToken != null && !refreshToken.isBlank()) {
                    // what a step's producer would register for its account: send-time calls use "default"
                    provider.registerBootstrapRefreshToken("default", refreshToken);
                }
            }
        });
    }

    @Override
    protected void doStop() throws Exception {
        registry().stopAll();
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
