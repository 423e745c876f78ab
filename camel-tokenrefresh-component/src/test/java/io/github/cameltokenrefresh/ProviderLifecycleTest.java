package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.RunningProviders;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry maps names to running providers, counted by the endpoints naming them; a provider starts and stops as
 * a service of its own, outside the registry's lock and outside Camel's route lock, so a provider whose refreshes do
 * not finish never holds up a route naming another one. Token calls are answered in memory.
 */
@Timeout(120) // a regression would block route starts: fail, not hang the build
class ProviderLifecycleTest {

    private static final String DECLARED = "?tokenUrl=https://auth.example.com/token&clientId=c&clientSecret=s";

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final MemoryTokenStore store = new MemoryTokenStore();
    private final CountDownLatch release = new CountDownLatch(1);
    private Map<String, InMemoryTokenEndpoint> endpoints;

    @BeforeEach
    void setUp() {
        endpoints = InMemoryTokenEndpoint.install(context);
        TokenRefreshComponent component = new TokenRefreshComponent();
        component.getConfiguration().setStore(store);
        context.addComponent("tokenrefresh", component);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        context.stop();
    }

    @Test
    void aRouteNamingAnotherProviderStartsWhileAProviderWaitsForARefreshThatDoesNotFinish() throws Exception {
        Provider slow = startWithHeldRefresh("slow");

        context.getRouteController().stopRoute("slow-route");
        context.removeRoute("slow-route"); // returns although the refresh under way holds the provider's pool
        await().until(() -> !running().containsKey("slow"));
        addRoute("other-route", "direct:other", "tokenrefresh:other" + DECLARED + "&refreshToken=rt-0");
        String header = context.createProducerTemplate().request("direct:other", e -> {
        }).getMessage().getHeader("Authorization", String.class);

        assertEquals("Bearer other-at-1", header, "the other provider started and serves");
        assertFalse(slow.executor().isTerminated(), "the slow provider is still stopping: its refresh is held");
        assertEquals(1, release.getCount());
        release.countDown();
        await().until(() -> slow.executor().isTerminated() && slow.isStopped());
    }

    @Test
    void aProviderStaysWhileAnEndpointNamesItAndGoesWithTheLastOne() throws Exception {
        addRoute("a", "direct:a", "tokenrefresh:p" + DECLARED + "&account=a&refreshToken=rt-a");
        addRoute("b", "direct:b", "tokenrefresh:p" + DECLARED + "&account=b&refreshToken=rt-b");
        context.start();
        Provider first = running().get("p");

        context.getRouteController().stopRoute("a");
        context.removeRoute("a");

        assertSame(first, running().get("p"), "route b still names the provider");
        assertTrue(first.isStarted());
        assertEquals("Bearer p-at-1", call("direct:b"));

        context.getRouteController().stopRoute("b");
        context.removeRoute("b");

        assertNull(running().get("p"), "no endpoint names it any more");
        await().until(first::isStopped);

        addRoute("c", "direct:c", "tokenrefresh:p?tokenUrl=https://other.example.com/token&clientId=c2&clientSecret=s2"
                                  + "&refreshToken=rt-c");
        Provider second = running().get("p");
        assertNotSame(first, second);
        assertEquals("https://other.example.com/token", second.definition().dialect().tokenUrl().toString(),
                     "declared anew with other options");
        assertEquals("Bearer p-at-2", call("direct:c"));
    }

    @Test
    void aNewDeclarationOfAStoppingProviderStartsOnceTheOldOneStopped() throws Exception {
        Provider old = startWithHeldRefresh("slow");
        AtomicReference<Boolean> oldStoppedWhenNewStarted = new AtomicReference<>();
        RunningProviders.find(context).watch(new RunningProviders.Watcher() {
            @Override
            public void started(Provider provider) {
                if (provider != old && provider.name().equals("slow")) {
                    oldStoppedWhenNewStarted.set(old.executor().isTerminated() && old.isStopped());
                }
            }

            @Override
            public void stopped(Provider provider) {
            }
        });

        context.getRouteController().stopRoute("slow-route");
        context.removeRoute("slow-route");
        CompletableFuture<Void> redeclared = CompletableFuture.runAsync(() -> addRoute(
                "slow-again", "direct:slow-again", "tokenrefresh:slow" + DECLARED.replace("clientId=c", "clientId=c2")));
        await().until(() -> TestContexts.component(context).isKnown("slow")); // declared anew, its start under way
        release.countDown();
        redeclared.join();

        Provider again = running().get("slow");
        assertNotSame(old, again);
        assertEquals(Boolean.TRUE, oldStoppedWhenNewStarted.get(), "the new provider started after the old one stopped");
        assertTrue(again.isStarted());
        assertEquals("slow-at-1", again.account("due").token().getAccessToken(),
                     "the token the old provider's refresh saved, adopted from the store");
        assertEquals(1, endpoints.get("slow").calls(), "no second call with the rotated refresh token");
    }

    /**
     * Provider {@code name}, started with a due account whose refresh (the start-up pass's, on the provider's pool) is
     * held; the route's own account is fresh, so the route starts without waiting for it.
     */
    private Provider startWithHeldRefresh(String name) throws Exception {
        Instant now = Instant.now();
        store.save(name, "due", token(now.plus(Duration.ofMinutes(2))), 0);
        store.save(name, "default", token(now.plus(Duration.ofHours(1))), 0);
        InMemoryTokenEndpoint tokenEndpoint = new InMemoryTokenEndpoint(name);
        tokenEndpoint.hold(release);
        endpoints.put(name, tokenEndpoint);
        context.start();
        addRoute(name + "-route", "direct:" + name, "tokenrefresh:" + name + DECLARED
                                                    + "&refreshOnStart=true&refreshWindow=10m");
        tokenEndpoint.awaitHeldCall(); // the start-up pass refreshes the due account on the provider's pool
        return running().get(name);
    }

    private static Token token(Instant expiresAt) {
        return Token.builder().accessToken("at-stored").refreshToken("rt-stored").tokenType("Bearer")
                .issuedAt(expiresAt.minus(Duration.ofHours(1))).expiresAt(expiresAt).build();
    }

    private Map<String, Provider> running() {
        return RunningProviders.find(context).byName();
    }

    private String call(String uri) {
        return context.createProducerTemplate().request(uri, e -> {
        }).getMessage().getHeader("Authorization", String.class);
    }

    private void addRoute(String id, String from, String to) {
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(from).routeId(id).to(to);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
