package io.github.cameltokenrefresh.route;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.RunningProviders;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.Message;

/**
 * Finds, for a message the API refused, which provider and account put its token header on. One per Camel context
 * (a context plugin, shared by every tokenrefresh component in it, indexing the providers of the context's one
 * registry): decorating stores nothing on the exchange, which keeps the hot path free of allocation; the rare 401
 * pays for one header read and one map lookup instead. Only {@link #of} and {@link #registerHeader} are public, for
 * the component's producers; route authors use {@link TokenDecoration}.
 */
public final class TokenDecorations {

    private record Header(String name, String prefix) {
    }

    private final AccessTokenIndex accessTokens = new AccessTokenIndex();
    /** The header names and prefixes producers decorate with: usually just Authorization and "Bearer ". */
    private final Set<Header> headers = new CopyOnWriteArraySet<>();
    private volatile List<String> headerNames = List.of();
    /** The registry whose providers the index watches, or null before there is one. */
    private volatile RunningProviders watched;

    private TokenDecorations() {
    }

    /**
     * The plugin of the context, created on first use. It indexes the access tokens of every provider of the context's
     * registry (RunningProviders): from its creation, or from the registry's, whichever comes later.
     */
    public static TokenDecorations of(CamelContext context) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        TokenDecorations decorations = extension.getContextPlugin(TokenDecorations.class);
        if (decorations == null) {
            synchronized (extension) {
                decorations = extension.getContextPlugin(TokenDecorations.class);
                if (decorations == null) {
                    decorations = new TokenDecorations();
                    extension.addContextPlugin(TokenDecorations.class, decorations);
                }
            }
        }
        decorations.watchProviders(context);
        return decorations;
    }

    private void watchProviders(CamelContext context) {
        RunningProviders registry = RunningProviders.find(context);
        if (registry == null || registry == watched) {
            return;
        }
        synchronized (this) {
            if (registry != watched) {
                registry.watch(new IndexWatcher(accessTokens));
                watched = registry;
            }
        }
    }

    /** Subscribes the index to each provider as it starts; it forgets the provider's tokens as it stops. */
    private record IndexWatcher(AccessTokenIndex index) implements RunningProviders.Watcher {

        @Override
        public void started(Provider provider) {
            provider.addAccessTokenListener(index);
        }

        @Override
        public void stopped(Provider provider) {
            provider.removeAccessTokenListener(index);
            index.forget(provider);
        }
    }

    /** The plugin of the context, or null when no tokenrefresh provider was ever started in it. */
    static TokenDecorations find(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(TokenDecorations.class);
    }

    AccessTokenIndex accessTokens() {
        return accessTokens;
    }

    /** The header names that may carry one of our tokens: what a call outside the provider's API loses. */
    List<String> headerNames() {
        return headerNames;
    }

    /** The account whose token a header value with one of our prefixes carries, or null. */
    AccountTokenCache accountOf(String headerName, String value) {
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(headerName) && value.startsWith(header.prefix())) {
                AccountTokenCache account = accessTokens.find(value.substring(header.prefix().length()));
                if (account != null) {
                    return account;
                }
            }
        }
        return null;
    }

    /** Called as a producer starts, so a 401 knows which headers may carry one of our tokens. */
    public void registerHeader(String name, String prefix) {
        if (headers.add(new Header(name, prefix))) {
            headerNames = headers.stream().map(Header::name).distinct().toList();
        }
    }

    /**
     * The decoration of the exchange's message, or null. On a failed call some Camel HTTP versions (4.14) leave only
     * the response status on a new out message: the request, with its token header, is then still the in message.
     */
    TokenDecoration find(Exchange exchange) {
        TokenDecoration decoration = find(exchange.getMessage());
        if (decoration == null && exchange.hasOut()) {
            decoration = find(exchange.getIn());
        }
        return decoration;
    }

    /** The decoration of a message whose token header carries a current or previous token of ours, or null. */
    private TokenDecoration find(Message message) {
        for (Header header : headers) {
            String value = message.getHeader(header.name(), String.class);
            if (value != null && value.startsWith(header.prefix())) {
                AccountTokenCache account = accessTokens.find(value.substring(header.prefix().length()));
                if (account != null) {
                    return new TokenDecoration(account, header.name(), header.prefix());
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "TokenDecorations[" + headers.size() + " headers, " + accessTokens + "]";
    }
}
