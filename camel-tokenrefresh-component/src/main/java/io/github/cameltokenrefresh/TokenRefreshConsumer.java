package io.github.cameltokenrefresh;

import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenEventListener;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Turns a provider's token events (refreshed, refresh failed, invalid grant) into exchanges, so a route can alert a
 * team with no code. Events are routed on a thread of their own: a slow route never holds up a refresh.
 */
public class TokenRefreshConsumer extends DefaultConsumer implements TokenEventListener {

    private final TokenRefreshEndpoint endpoint;
    private final Set<TokenEvent.Type> types;
    private Provider provider;
    private ExecutorService executor;

    public TokenRefreshConsumer(TokenRefreshEndpoint endpoint, Processor processor, Set<TokenEvent.Type> types) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.types = types;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "TokenRefreshEvents-" + endpoint.getProvider());
        provider = endpoint.resolveProvider();
        provider.addListener(this);
    }

    @Override
    protected void doStop() throws Exception {
        if (provider != null) {
            provider.removeListener(this);
        }
        if (executor != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }

    @Override
    public void onEvent(TokenEvent event) {
        if (!types.contains(event.type()) || executor == null) {
            return;
        }
        executor.execute(() -> {
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(event);
            exchange.getMessage().setHeader(TokenRefreshConstants.EVENT_TYPE, event.type().name());
            exchange.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, event.account());
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing token event", exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        });
    }
}
