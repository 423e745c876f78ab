package io.github.cameltokenrefresh.example;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.TokenEvent;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's lifecycle events as a route: {@code from("tokenrefresh:aweber")} receives one exchange per refresh,
 * failed refresh, refused refresh token, and refresh token nearing its known end. Here it logs them with what the
 * store now holds; a real integration would send the failures to a team's mail or chat. The event (its
 * {@code toString()} included) carries no token; this route compares the stored refresh token with the previous one in
 * memory and logs only whether it changed.
 */
final class TokenEventRoute extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.example.events");

    private final String provider;
    private final AtomicReference<String> lastStoredRefreshToken = new AtomicReference<>();

    TokenEventRoute(String provider) {
        this.provider = provider;
    }

    @Override
    public void configure() {
        // every event type (the default of the events option): refreshed, refresh_failed, invalid_grant and
        // refresh_token_expiring
        from("tokenrefresh:" + provider)
                .routeId("token-events")
                .process(this::logEvent);
    }

    private void logEvent(Exchange exchange) {
        TokenEvent event = exchange.getMessage().getBody(TokenEvent.class);
        if (event.type() != TokenEvent.Type.REFRESHED) {
            LOG.warn("{}: {}", event, event.message());
            return;
        }
        TokenStore store = exchange.getContext().getComponent("tokenrefresh", TokenRefreshComponent.class)
                .store(provider);
        StoredToken record = store.load(event.provider(), event.account());
        if (record == null) {
            LOG.info("{}: nothing in the store", event);
            return;
        }
        String refreshToken = record.token().getRefreshToken();
        String previous = lastStoredRefreshToken.getAndSet(refreshToken);
        LOG.info("{} -> store record version {}, refresh token {}", event, record.version(),
                 previous == null ? "saved" : Objects.equals(previous, refreshToken)
                         ? "unchanged" : "rotated: the new one replaced the old one on disk");
    }
}
