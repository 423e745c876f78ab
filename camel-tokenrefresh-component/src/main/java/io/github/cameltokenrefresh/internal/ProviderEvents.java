package io.github.cameltokenrefresh.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.authorize.AuthorizationCodeFlow;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's fan-out: its event listeners, its access-token listeners, and the count of changes views compare. An
 * event that only a person can answer now is followed by one asking them to re-authorize.
 */
final class ProviderEvents {

    /** The provider's log category: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(Provider.class);

    private final String provider;
    /** The authorization-code flow, or null; read late because the token calls make it after this. */
    private final Supplier<AuthorizationCodeFlow> authorization;
    private final List<TokenEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<AccessTokenListener> accessTokenListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong changes = new AtomicLong();

    ProviderEvents(String provider, Supplier<AuthorizationCodeFlow> authorization) {
        this.provider = provider;
        this.authorization = authorization;
    }

    /** Tells the access-token listeners when the access token handed out changed. */
    void onTokenChanged(AccountTokenCache account, Token previous, Token current) {
        changes.incrementAndGet();
        boolean hasAccessToken = current != null && current.hasAccessToken();
        String before = previous == null ? null : previous.getAccessToken();
        String now = hasAccessToken ? current.getAccessToken() : null;
        if (before == null ? now != null : !before.equals(now)) {
            accessTokenListeners.forEach(l -> l.onAccessTokenChanged(account, before, now));
        }
    }

    void onEvent(TokenEvent event) {
        changes.incrementAndGet();
        AuthorizationCodeFlow flow = authorization.get();
        if (event.type() == TokenEvent.Type.INVALID_GRANT && flow != null) {
            flow.logReauthorization(event.account());
        }
        for (TokenEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                // a listener must not break a refresh
                LOG.warn("tokenrefresh:{} event listener {} failed on {}: {}", provider, listener, event.type(),
                         e.toString());
            }
        }
        // only a person can save the account now: one event with a fresh link for them
        TokenEvent ask = flow == null ? null : flow.reauthorizationNeeded(event);
        if (ask != null) {
            onEvent(ask);
        }
    }

    void addListener(TokenEventListener listener) {
        listeners.add(listener);
    }

    void removeListener(TokenEventListener listener) {
        listeners.remove(listener);
    }

    void addAccessTokenListener(AccessTokenListener listener) {
        accessTokenListeners.add(listener);
    }

    void removeAccessTokenListener(AccessTokenListener listener) {
        accessTokenListeners.remove(listener);
    }

    long changes() {
        return changes.get();
    }
}
