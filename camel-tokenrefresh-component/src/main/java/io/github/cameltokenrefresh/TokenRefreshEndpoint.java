package io.github.cameltokenrefresh;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.token.TokenEvent;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Keep OAuth2 access tokens fresh and put the Bearer header on exchanges before an HTTP call.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tokenrefresh", title = "Token Refresh", syntax = "tokenrefresh:provider",
             category = { Category.SECURITY, Category.HTTP }, headersClass = TokenRefreshConstants.class)
public class TokenRefreshEndpoint extends DefaultEndpoint {

    /** The events option's values, from the event types themselves. */
    private static final String EVENT_NAMES = Arrays.stream(TokenEvent.Type.values()).map(TokenEvent.Type::optionValue)
            .collect(Collectors.joining(", "));

    @UriPath(description = "The provider name. Every endpoint naming the same provider shares its tokens.")
    @Metadata(required = true)
    private final String provider;
    @UriParam
    private TokenRefreshConfiguration configuration;
    @UriParam(label = "consumer",
              defaultValue = "refreshed,refresh_failed,invalid_grant,refresh_token_expiring,authorized,"
                             + "authorization_failed,lease_interrupted,disconnected,reauthorization_needed",
              description = "The token events a consumer (from(\"tokenrefresh:<provider>\")) receives, comma separated:"
                            + " refreshed, refresh_failed, invalid_grant, refresh_token_expiring, authorized,"
                            + " authorization_failed, lease_interrupted, disconnected, reauthorization_needed (with a fresh"
                            + " authorization link: docs/onboarding.md).")
    private String events = "refreshed,refresh_failed,invalid_grant,refresh_token_expiring,authorized,"
                            + "authorization_failed,lease_interrupted,disconnected,reauthorization_needed";
    @UriParam(label = "producer", defaultValue = "decorate",
              enums = "decorate,refresh,refreshIfExpiring,refreshIfUnauthorized,refreshDue,token,invalidate,"
                      + "authorizationUrl,authorizationCallback,disconnect",
              description = "What to do: decorate (set the Authorization header), refresh (force a refresh),"
                            + " refreshIfExpiring, refreshIfUnauthorized (after a 401 answer), refreshDue (every"
                            + " account expiring within refreshWindow), token (access token as the body),"
                            + " invalidate, authorizationUrl (an onboarding link as the body) or"
                            + " authorizationCallback (behind platform-http, see docs/onboarding.md).")
    private TokenRefreshOperation operation = TokenRefreshOperation.decorate;
    @UriParam(label = "producer", defaultValue = "default",
              description = "Which of the provider's token sets to use, for integrations serving many customers."
                            + " The CamelTokenRefreshAccount header overrides it.")
    private String account = "default";
    @UriParam(label = "producer", defaultValue = "Authorization",
              description = "The header the decorate operation sets.")
    private String headerName = "Authorization";
    @UriParam(label = "producer", defaultValue = "Bearer",
              description = "What precedes the token in the header, followed by a space; empty for the bare token.")
    private String headerPrefix = "Bearer";
    @UriParam(label = "producer",
              description = "With operation=authorizationCallback: the path the callback route listens at (the route"
                            + " template passes its path). Route start fails when it is not redirectUri's path. Default:"
                            + " not checked.")
    private String callbackPath;

    /** Whether this endpoint's URI declares the provider (not a @UriParam: set by the component). */
    private boolean declaresProvider;
    /** What is wrong with the provider this URI declares, thrown as the route starts. */
    private volatile IllegalArgumentException declarationError;
    /** The provider definition this URI declares, or null: declared again when the endpoint starts again. */
    private ProviderDefinition declaredDefinition;

    public TokenRefreshEndpoint(String uri, TokenRefreshComponent component, String provider,
                                TokenRefreshConfiguration configuration) {
        super(uri, component);
        this.provider = provider;
        this.configuration = configuration;
    }

    @Override
    public TokenRefreshComponent getComponent() {
        return (TokenRefreshComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new TokenRefreshProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Set<TokenEvent.Type> types = EnumSet.noneOf(TokenEvent.Type.class);
        for (String name : events.split(",")) {
            try {
                types.add(TokenEvent.Type.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw InvalidOption.of(provider, "events", "has an unknown event type '" + name.trim() + "'; use "
                                                           + EVENT_NAMES);
            }
        }
        TokenRefreshConsumer consumer = new TokenRefreshConsumer(this, processor, types);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // again after a stop of the context: it released this endpoint as a user of its provider
        getComponent().use(this);
    }

    @Override
    protected void doStop() throws Exception {
        getComponent().release(this);
        super.doStop();
    }

    /** The shared provider this endpoint names. */
    Provider resolveProvider() {
        checkOptions();
        return getComponent().provider(provider);
    }

    /** Fails naming the option when this URI configured something wrong. */
    void checkOptions() {
        if (declarationError != null) {
            throw declarationError;
        }
    }

    void setDeclarationError(IllegalArgumentException error) {
        this.declarationError = error;
    }

    ProviderDefinition getDeclaredDefinition() {
        return declaredDefinition;
    }

    void setDeclaredDefinition(ProviderDefinition declaredDefinition) {
        this.declaredDefinition = declaredDefinition;
    }

    boolean isDeclaresProvider() {
        return declaresProvider;
    }

    void setDeclaresProvider(boolean declaresProvider) {
        this.declaresProvider = declaresProvider;
    }

    public String getProvider() {
        return provider;
    }

    public String getEvents() {
        return events;
    }

    public void setEvents(String events) {
        this.events = events;
    }

    public TokenRefreshConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(TokenRefreshConfiguration configuration) {
        this.configuration = configuration;
    }

    public TokenRefreshOperation getOperation() {
        return operation;
    }

    public void setOperation(TokenRefreshOperation operation) {
        this.operation = operation;
    }

    public String getAccount() {
        return account;
    }

    public void setAccount(String account) {
        this.account = account;
    }

    public String getHeaderName() {
        return headerName;
    }

    public void setHeaderName(String headerName) {
        this.headerName = headerName;
    }

    public String getHeaderPrefix() {
        return headerPrefix;
    }

    public void setHeaderPrefix(String headerPrefix) {
        this.headerPrefix = headerPrefix;
    }

    public String getCallbackPath() {
        return callbackPath;
    }

    public void setCallbackPath(String callbackPath) {
        this.callbackPath = callbackPath;
    }
}
