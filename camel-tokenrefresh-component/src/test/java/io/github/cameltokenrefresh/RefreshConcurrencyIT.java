package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.RefreshReport;
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
class RefreshConcurrencyIT extends TokenServerTestSupport {

    private final MutableClock clock = new MutableClock(Instant.now());

    private ProducerTemplate start(int accounts, int concurrency, Duration tokenEndpointLatency) throws Exception {
        server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("c", "s").responseDelay(tokenEndpointLatency);
        MemoryTokenStore store = new MemoryTokenStore();
        for (int i = 0; i < accounts; i++) {
            server.addRefreshToken("rt-" + i);
            store.save("p", "account-" + i, Token.ofRefreshToken("rt-" + i, Instant.now()), 0);
        }
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
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

        RefreshReport report = template.requestBody("direct:due", "", RefreshReport.class);

        assertEquals(20, report.getRefreshed().size(), report::toString);
        assertEquals(20, server.successfulRefreshes());
        assertEquals(4, server.maxTokenCallsInFlight(), "the bound is reached, and never exceeded");
    }

    @Test
    void aPassStartedWhileThePreviousOneRunsIsSkipped() throws Exception {
        ProducerTemplate template = start(4, 1, Duration.ofSeconds(1));

        CompletableFuture<RefreshReport> first
                = CompletableFuture.supplyAsync(() -> template.requestBody("direct:due", "", RefreshReport.class));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tokenCalls() >= 1);
        RefreshReport second = template.requestBody("direct:due", "", RefreshReport.class);

        assertTrue(second.isSkipped(), second::toString);
        assertEquals(List.of(), second.getRefreshed());
        assertEquals(4, first.get(30, TimeUnit.SECONDS).getRefreshed().size());
        assertTrue(server.tokenCalls() == 4, "each account refreshed once: " + server.tokenCalls());
    }

    @Test
    void a429OfTheTokenEndpointPausesEveryAccountOfTheProviderNotEachOneByOne() throws Exception {
        ProducerTemplate template = start(50, 4, Duration.ZERO);
        server.failNext(1000, 429, "application/json", "{\"error\":\"too_many_requests\"}", Map.of("Retry-After", "30"));

        RefreshReport during = template.requestBody("direct:due", "", RefreshReport.class);

        assertEquals(50, during.getFailed().size(), during::toString);
        assertTrue(server.tokenCalls() <= 4, "a handful of token calls (those already in flight), not 50: "
                                             + server.tokenCalls());
        assertTrue(((io.github.cameltokenrefresh.internal.Provider) TestContexts.component(context).tokens("p"))
                .tokenEndpointPausedUntil() != null, "health and console can say the endpoint is paused");
        // still paused: the next pass makes no token call at all
        int calls = server.tokenCalls();
        template.requestBody("direct:due", "", RefreshReport.class);
        assertEquals(calls, server.tokenCalls());

        // after Retry-After the endpoint answers again, and one pass renews every account
        server.clearFailures();
        clock.advance(Duration.ofSeconds(31));
        RefreshReport after = template.requestBody("direct:due", "", RefreshReport.class);
        assertEquals(50, after.getRefreshed().size(), after::toString);
    }

    @Test
    void whenThePauseEndsOneTokenCallProbesTheEndpointWhileTheOthersWaitForItsAnswer() throws Exception {
        // a slow endpoint: without the probe, every pool thread would send at once when the pause ends
        ProducerTemplate template = start(50, 4, Duration.ofMillis(200));
        server.failNext(1000, 429, "application/json", "{\"error\":\"too_many_requests\"}", Map.of("Retry-After", "30"));
        template.requestBody("direct:due", "", RefreshReport.class);
        int paused = server.tokenCalls();

        // the pause is over, the endpoint still answers 429: the probe's one call, and everyone is paused again
        clock.advance(Duration.ofSeconds(31));
        RefreshReport probed = template.requestBody("direct:due", "", RefreshReport.class);
        assertEquals(paused + 1, server.tokenCalls(), "one probe, not one token call per pool thread: " + probed);
        assertEquals(50, probed.getFailed().size(), probed::toString);

        // the endpoint recovered: the probe succeeds and releases the others, one pass renews every account
        server.clearFailures();
        clock.advance(Duration.ofSeconds(31));
        RefreshReport after = template.requestBody("direct:due", "", RefreshReport.class);
        assertEquals(50, after.getRefreshed().size(), after::toString);
        assertEquals(paused + 1 + 50, server.tokenCalls());
    }
}
