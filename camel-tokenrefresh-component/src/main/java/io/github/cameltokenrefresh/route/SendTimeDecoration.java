package io.github.cameltokenrefresh.route;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.TokenRefreshConstants;
import io.github.cameltokenrefresh.internal.AccountApiBase;
import io.github.cameltokenrefresh.internal.ApiBaseUrl;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.RunningProviders;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.dpop.DpopPresentation;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the account's token on an HTTP request as it is sent, when the request's URL lies under its provider's API base,
 * and takes a token of ours off a request to any other URL. One per Camel context (a context plugin) that the component
 * installs on the HTTP components as they are added: Camel HTTP through its {@code httpActivityListener}
 * ({@link CamelHttpSendTime}: every request its client sends, redirects included), vertx-http through its
 * {@code vertxHttpBinding} ({@link VertxHttpSendTime}). The URL checked is the one sent; the message never carries
 * the token.
 * <p>
 * Which account: the {@code CamelTokenRefreshAccount} header, else {@code default}. How the token is presented:
 * {@link TokenPresentation}, {@code Authorization: Bearer}; a DPoP-bound token (a provider with {@code dpop=true})
 * as {@code Authorization: DPoP} with a proof of this request ({@link DpopPresentation}).
 */
public final class SendTimeDecoration {

    private static final Logger LOG = LoggerFactory.getLogger(SendTimeDecoration.class);
    private static final String DEFAULT_ACCOUNT = "default";
    /** Named, not imported: camel-vertx-http is optional, its adapter is loaded only when its component exists. */
    private static final String VERTX_HTTP_COMPONENT = "org.apache.camel.component.vertx.http.VertxHttpComponent";

    /** A request about to be sent, as an HTTP client holds it. */
    interface OutgoingRequest {

        String method();

        /** The URL it goes to, or null when it is no URL. */
        URI url();

        /** The first value of the header, or null. */
        String header(String name);

        void setHeader(String name, String value);

        void removeHeader(String name);
    }

    private final TokenDecorations decorations;
    private final TokenPresentation presentation = BearerPresentation.DEFAULT;
    private final Map<String, Provider> byName = new ConcurrentHashMap<>();
    /** The running providers with an API base: what every request is checked against. */
    private volatile Provider[] withApiBase = new Provider[0];
    private final Set<String> warnedWithoutApiBase = ConcurrentHashMap.newKeySet();
    private volatile RunningProviders watched;

    private SendTimeDecoration(TokenDecorations decorations) {
        this.decorations = decorations;
        // a 401 and a call outside the API recognize the header this decoration writes, with or without a step
        decorations.registerHeader(BearerPresentation.DEFAULT.tokenHeader(), BearerPresentation.DEFAULT.prefix());
        decorations.registerHeader("Authorization", DpopPresentation.AUTHORIZATION_SCHEME + " ");
    }

    /**
     * Installs the context's decoration on its HTTP components: those registered already, and each one as it is added
     * (Camel creates a component on the first endpoint URI naming it), so their endpoints take it as they are created.
     * HTTP endpoints created before this keep what they have. Watches the providers of {@code providers}.
     */
    public static SendTimeDecoration install(CamelContext context, RunningProviders providers) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        SendTimeDecoration decoration;
        boolean created = false;
        synchronized (extension) {
            decoration = extension.getContextPlugin(SendTimeDecoration.class);
            if (decoration == null) {
                decoration = new SendTimeDecoration(TokenDecorations.of(context));
                extension.addContextPlugin(SendTimeDecoration.class, decoration);
                created = true;
            }
        }
        decoration.watch(providers);
        if (created) {
            SendTimeDecoration d = decoration;
            context.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onComponentAdd(String name, Component component) {
                    d.attach(context, name, component);
                }
            });
            for (String name : context.getComponentNames()) {
                decoration.attach(context, name, context.hasComponent(name));
            }
            CamelHttpSendTime.attachToEndpoints(context, decoration);
        }
        return decoration;
    }

    /** Attaches to an HTTP component we know how to decorate; says so when it cannot. */
    private void attach(CamelContext context, String name, Component component) {
        if (component == null) {
            return;
        }
        String type = component.getClass().getName();
        if (type.equals("org.apache.camel.component.http.HttpComponent")) {
            CamelHttpSendTime.attach(name, component, this);
        } else if (type.equals(VERTX_HTTP_COMPONENT)) {
            VertxHttpSendTime.attach(component, this);
        }
    }

    /** The context's decoration, or null before a tokenrefresh component was initialized in it. */
    public static SendTimeDecoration find(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(SendTimeDecoration.class);
    }

    private void watch(RunningProviders providers) {
        if (providers == null || providers == watched) {
            return;
        }
        synchronized (this) {
            if (providers != watched) {
                providers.watch(new RunningProviders.Watcher() {
                    @Override
                    public void started(Provider provider) {
                        byName.put(provider.name(), provider);
                        refreshWithApiBase();
                    }

                    @Override
                    public void stopped(Provider provider) {
                        byName.remove(provider.name(), provider);
                        refreshWithApiBase();
                    }
                });
                watched = providers;
            }
        }
    }

    private synchronized void refreshWithApiBase() {
        withApiBase = byName.values().stream().filter(p -> p.definition().apiBase() != null).toArray(Provider[]::new);
    }

    /**
     * Said once per provider as a route with its tokenrefresh step starts, when the provider has no API base: its
     * token stays on the message and Camel HTTP sends it to whatever host the route calls next.
     */
    public void warnIfNoApiBase(Provider provider) {
        if (provider.definition().apiBase() == null && warnedWithoutApiBase.add(provider.name())) {
            LOG.warn("tokenrefresh:{} has no apiBase: the token header a tokenrefresh step puts on the message follows it"
                     + " to any host the route calls next (a webhook, another API). Set apiBase to the provider's API"
                     + " URL (e.g. apiBase=https://api.example.com/v1): calls there then get the token as they are"
                     + " sent, and calls elsewhere lose it. Until then, removeHeader(\"Authorization\") after the API"
                     + " call.", provider.name());
        }
    }

    /** The account's API base URL (the first), or null when the provider has none or the account's is unknown. */
    public static String apiBaseOf(Provider provider, Token token) {
        AccountApiBase base = provider.definition().apiBase();
        List<ApiBaseUrl> bases = base == null ? null : base.forAccount(token);
        return bases == null || bases.isEmpty() ? null : bases.get(0).toString();
    }

    /**
     * Before {@code request} leaves for the exchange: takes a token of ours off it when its URL lies outside that
     * token's provider's API base, and puts the account's token on it when the URL lies under a provider's API base.
     *
     * @return what it put on the request (account and token, for a 401 to find), or null when nothing
     */
    SendTimeRejection onSend(Exchange exchange, OutgoingRequest request) {
        URI url = request.url();
        stripForeignTokens(request, url);
        return exchange == null || url == null ? null : decorate(exchange, request, url);
    }

    private SendTimeRejection decorate(Exchange exchange, OutgoingRequest request, URI url) {
        Provider[] providers = withApiBase;
        if (providers.length == 0) {
            return null;
        }
        String name = exchange.getMessage().getHeader(TokenRefreshConstants.ACCOUNT, DEFAULT_ACCOUNT, String.class);
        for (Provider provider : providers) {
            AccountApiBase base = provider.definition().apiBase();
            if (!base.perAccount() && !covers(base.fixed(), url)) {
                continue;
            }
            AccountTokenCache account = provider.account(name);
            Token token = account.token();
            if (base.perAccount() && !covers(base.forAccount(token), url)) {
                continue;
            }
            DpopPresentation dpop = DpopPresentation.AUTHORIZATION_SCHEME.equalsIgnoreCase(token.getTokenType())
                    ? provider.dpopPresentation() : null;
            if (dpop != null) {
                // a DPoP-bound token: its proof signs this request's method and URL, so it is made here, per request
                dpop.headers(request.method(), url, token.getAccessToken()).forEach(request::setHeader);
            } else {
                presentation.present(request.method(), url.toString(), token, request::setHeader);
            }
            return new SendTimeRejection(account, token);
        }
        return null;
    }

    /** Whether the request carries a token of ours (in a header a step or this decoration writes). */
    boolean carriesToken(OutgoingRequest request) {
        for (String headerName : decorations.headerNames()) {
            String value = request.header(headerName);
            if (value != null && decorations.accountOf(headerName, value) != null) {
                return true;
            }
        }
        return false;
    }

    /** A header carrying one of our tokens on a request outside that token's provider's API: removed. */
    private void stripForeignTokens(OutgoingRequest request, URI url) {
        for (String headerName : decorations.headerNames()) {
            String value = request.header(headerName);
            if (value == null) {
                continue;
            }
            AccountTokenCache account = decorations.accountOf(headerName, value);
            Provider provider = account == null ? null : byName.get(account.provider());
            AccountApiBase base = provider == null ? null : provider.definition().apiBase();
            if (base != null && !covers(base.perAccount() ? base.forAccount(account.token()) : base.fixed(), url)) {
                request.removeHeader(headerName);
                LOG.debug("tokenrefresh:{} account '{}': removed the {} header from a call to {}, which is outside the"
                          + " provider's apiBase", account.provider(), account.account(), headerName,
                          url == null ? "an unparsable URL" : url.getScheme() + "://" + url.getHost());
            }
        }
    }

    private static boolean covers(List<ApiBaseUrl> bases, URI url) {
        if (bases == null || url == null) {
            return false;
        }
        for (ApiBaseUrl base : bases) {
            if (base.covers(url)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SendTimeDecoration[" + withApiBase.length + " providers with an API base]";
    }
}
