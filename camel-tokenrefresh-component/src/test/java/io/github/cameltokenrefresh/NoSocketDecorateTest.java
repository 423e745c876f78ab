package io.github.cameltokenrefresh;

import java.util.Map;

import io.github.cameltokenrefresh.store.MemoryTokenStore;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A route decorates exchanges with tokens from an in-memory token endpoint: the Camel path, no socket, no disk. */
class NoSocketDecorateTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aRouteDecoratesWithTheTokenItsProviderObtainedAndReusesIt() throws Exception {
        Map<String, InMemoryTokenEndpoint> endpoints = InMemoryTokenEndpoint.install(context);
        TokenRefreshComponent component = new TokenRefreshComponent();
        component.getConfiguration().setStore(new MemoryTokenStore());
        context.addComponent("tokenrefresh", component);
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:partner?tokenUrl=https://auth.example.com/token"
                                                      + "&clientId=c&clientSecret=s&refreshToken=rt-0");
        context.start();
        ProducerTemplate template = context.createProducerTemplate();

        String first = template.request("direct:call", e -> {
        }).getMessage().getHeader("Authorization", String.class);
        String second = template.request("direct:call", e -> {
        }).getMessage().getHeader("Authorization", String.class);

        assertEquals("Bearer partner-at-1", first);
        assertEquals("Bearer partner-at-1", second, "the fresh token is served again");
        assertEquals(1, endpoints.get("partner").calls());
    }
}
