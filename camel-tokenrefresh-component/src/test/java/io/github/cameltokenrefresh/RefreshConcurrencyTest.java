package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheduled pass refreshes its due accounts on the provider's refresh pool: as many at once as refreshConcurrency,
 * never more (the token call connection pool follows), and a pass never overlaps the previous one.
 */
class RefreshConcurrencyTest extends TokenServerTestSupport {

    private ProducerTemplate start(int accounts, int concurrency, Duration tokenEndpointLatency) throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", "s").responseDelay(tokenEndpointLatency);
        MemoryTokenStore store = new MemoryTokenStore();
        for (int i = 0; i < accounts; i++) {
            server.addRefreshToken("rt-" + i);
            store.save("p", "account-" + i, Token.ofRefreshToken("rt-" + i, Instant.now()), 0);
        }
        context = TestContexts.context(storeDir);
        context.getRegistry().bind("accounts", store);
        TestContexts.addRoute(context, "direct:due", "tokenrefresh:p?tokenUrl=" + server.tokenUrl()
                                                     + "&clientId=c&clientSecret=s&store=#accounts&operation=refreshDue"
                                                     + "&refreshConcurrency=" + concurrency);
        context.start();
        return context.createProducerTemplate();
    }

    @Test
    void aPassRunsAsManyRefreshesAtOnceAsRefreshConcurrencyAndNeverMore() throws Exception {
        ProducerTemplate template = start(20, 4, Duration.ofMillis(300));

        Map<?, ?> report = template.requestBody("direct:due", "", Map.class);

        assertEquals(20, ((List<?>) report.get("refreshed")).size(), report::toString);
        assertEquals(20, server.successfulRefreshes());
        assertEquals(4, server.maxTokenCallsInFlight(), "the bound is reached, and never exceeded");
    }

    @Test
    void aPassStartedWhileThePreviousOneRunsIsSkipped() throws Exception {
        ProducerTemplate template = start(4, 1, Duration.ofSeconds(1));

        CompletableFuture<Map> first = CompletableFuture.supplyAsync(() -> template.requestBody("direct:due", "", Map.class));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tokenCalls() >= 1);
        Map<?, ?> second = template.requestBody("direct:due", "", Map.class);

        assertEquals(Boolean.TRUE, second.get("skipped"), second::toString);
        assertEquals(List.of(), second.get("refreshed"));
        assertEquals(4, ((List<?>) first.get(30, TimeUnit.SECONDS).get("refreshed")).size());
        assertTrue(server.tokenCalls() == 4, "each account refreshed once: " + server.tokenCalls());
    }
}
