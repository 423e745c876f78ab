package io.github.cameltokenrefresh.route;

import java.net.URI;
import java.net.URISyntaxException;
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
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the account's token on an HTTP request as Camel HTTP sends it, when the request's URL lies under its provider's
 * API base, and takes a token of ours off a request to any other URL. One per Camel context (a context plugin), set
 * as the {@code httpActivityListener} of the context's {@code http} and {@code https} components: Camel HTTP calls it
 * from its HTTP client for every request it sends, with the exchange, after the endpoint URI, the
 * {@code CamelHttpUri}/{@code CamelHttpPath} headers and a rest producer's URL are resolved, and again for each
 * redirect the client follows. So the URL checked is the one sent, hop by hop; the message never carries the token.
 * <p>
 * Which account: the {@code CamelTokenRefreshAccount} header, else {@code default}. How the token is presented:
 * {@link TokenPresentation}, {@code Authorization: Bearer} today.
 */
public final class SendTimeDecoration implements HttpActivityListener {

    private static final Logger LOG = LoggerFactory.getLogger(SendTimeDecoration.class);
    private static final String DEFAULT_ACCOUNT = "default";

    /** The decoration of the request this thread is sending (Camel HTTP's client sends on the caller's thread). */
    private static final class Sent {
        AccountTokenCache account;
        Token token;
    }

    private final TokenDecorations decorations;
    private final TokenPresentation presentation = BearerPresentation.DEFAULT;
    private final Map<String, Provider> byName = new ConcurrentHashMap<>();
    /** The running providers with an API base: what every request is checked against. */
    private volatile Provider[] withApiBase = new Provider[0];
    private final ThreadLocal<Sent> sent = ThreadLocal.withInitial(Sent::new);
    private final Set<String> warnedWithoutApiBase = ConcurrentHashMap.newKeySet();
    private volatile RunningProviders watched;

    private SendTimeDecoration(TokenDecorations decorations) {
        this.decorations = decorations;
    }

    /**
     * Installs the context's decoration on its Camel HTTP components (created if need be) and on the HTTP endpoints
     * that exist already, and watches the providers of {@code providers}. HTTP endpoints created before this (by a
     * route resolved earlier) keep whatever listener they have; a component with a listener of its own keeps it, and
     * a WARN says its calls are not decorated.
     */
    public static SendTimeDecoration install(CamelContext context, RunningProviders providers) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        SendTimeDecoration decoration;
        synchronized (extension) {
            decoration = extension.getContextPlugin(SendTimeDecoration.class);
            if (decoration == null) {
                decoration = new SendTimeDecoration(TokenDecorations.of(context));
                extension.addContextPlugin(SendTimeDecoration.class, decoration);
            }
        }
        decoration.watch(providers);
        for (String scheme : List.of("http", "https")) {
            Component component = context.getComponent(scheme);
            if (component instanceof HttpComponent http) {
                if (http.getHttpActivityListener() == null) {
                    http.setHttpActivityListener(decoration);
                } else if (http.getHttpActivityListener() != decoration) {
                    LOG.warn("The {} component has an httpActivityListener of its own: tokenrefresh does not decorate its"
                             + " calls at send time and cannot keep tokens off calls outside a provider's API base",
                             scheme);
                }
            }
        }
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof HttpEndpoint http && http.getHttpActivityListener() == null) {
                http.setHttpActivityListener(decoration);
            }
        }
        return decoration;
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

    @Override
    public void onRequestSubmitted(Object source, Exchange exchange, HttpHost host, HttpRequest request,
                                   HttpEntity entity) {
        sent.get().account = null;
        URI url;
        try {
            url = request.getUri();
        } catch (URISyntaxException e) {
            url = null;
        }
        stripForeignTokens(request, url);
        if (exchange != null && url != null) {
            decorate(exchange, request, url);
        }
    }

    private void decorate(Exchange exchange, HttpRequest request, URI url) {
        Provider[] providers = withApiBase;
        if (providers.length == 0) {
            return;
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
            presentation.present(request.getMethod(), url.toString(), token, request::setHeader);
            Sent s = sent.get();
            s.account = account;
            s.token = token;
            return;
        }
    }

    /** A header carrying one of our tokens on a request outside that token's provider's API: removed. */
    private void stripForeignTokens(HttpRequest request, URI url) {
        for (String headerName : decorations.headerNames()) {
            Header header = request.getFirstHeader(headerName);
            if (header == null || header.getValue() == null) {
                continue;
            }
            AccountTokenCache account = decorations.accountOf(headerName, header.getValue());
            Provider provider = account == null ? null : byName.get(account.provider());
            AccountApiBase base = provider == null ? null : provider.definition().apiBase();
            if (base != null && !covers(base.perAccount() ? base.forAccount(account.token()) : base.fixed(), url)) {
                request.removeHeaders(headerName);
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
    public void onResponseReceived(Object source, Exchange exchange, HttpHost host, HttpResponse response,
                                   HttpEntity entity, long elapsed) {
        Sent s = sent.get();
        if (s.account != null && exchange != null && response.getCode() == UnauthorizedPredicate.UNAUTHORIZED) {
            exchange.setProperty(SendTimeRejection.PROPERTY, new SendTimeRejection(s.account, s.token));
        }
        s.account = null;
        s.token = null;
    }

    @Override
    public String toString() {
        return "SendTimeDecoration[" + withApiBase.length + " providers with an API base]";
    }
}
