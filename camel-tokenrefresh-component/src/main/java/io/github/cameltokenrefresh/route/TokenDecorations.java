package io.github.cameltokenrefresh.route;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.token.ProviderTokens;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.Message;

/**
 * Finds, for a message the API refused, which provider and account put its token header on. One per Camel context
 * (a context plugin, shared by every tokenrefresh component in it): decorating stores nothing on the exchange, which
 * keeps the hot path free of allocation; the rare 401 pays for one header read and one map lookup instead.
 */
public final class TokenDecorations {

    private record Header(String name, String prefix) {
    }

    private final AccessTokenIndex accessTokens = new AccessTokenIndex();
    /** The header names and prefixes producers decorate with: usually just Authorization and "Bearer ". */
    private final Set<Header> headers = new CopyOnWriteArraySet<>();

    private TokenDecorations() {
    }

    /** The plugin of the context, created on first use. */
    public static TokenDecorations of(CamelContext context) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        TokenDecorations decorations = extension.getContextPlugin(TokenDecorations.class);
        if (decorations != null) {
            return decorations;
        }
        synchronized (extension) {
            decorations = extension.getContextPlugin(TokenDecorations.class);
            if (decorations == null) {
                decorations = new TokenDecorations();
                extension.addContextPlugin(TokenDecorations.class, decorations);
            }
            return decorations;
        }
    }

    /** The plugin of the context, or null when no tokenrefresh provider was ever started in it. */
    static TokenDecorations find(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(TokenDecorations.class);
    }

    AccessTokenIndex accessTokens() {
        return accessTokens;
    }

    /** From now on, a 401 to one of this provider's access tokens finds its account. For the component's providers. */
    public void track(ProviderTokens provider) {
        ((Provider) provider).addAccessTokenListener(accessTokens);
    }

    /** The provider stopped: its tokens are no longer ours to renew. */
    public void untrack(ProviderTokens provider) {
        ((Provider) provider).removeAccessTokenListener(accessTokens);
        accessTokens.forget((Provider) provider);
    }

    /** Called as a producer starts, so a 401 knows which headers may carry one of our tokens. */
    public void registerHeader(String name, String prefix) {
        headers.add(new Header(name, prefix));
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
