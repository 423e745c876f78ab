package io.github.cameltokenrefresh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cameltokenrefresh.assembly.TokenClientFactory;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import org.apache.camel.CamelContext;

/**
 * A token endpoint in memory for Camel-level tests without a socket: each provider of the context gets one (through
 * the component's {@link TokenClientFactory} seam), which issues {@code <provider>-at-<n>} and {@code <provider>-rt-<n>}
 * for an hour to any request. A provider's calls can be held in flight until the test lets them go.
 */
public final class InMemoryTokenEndpoint implements TokenClient {

    private final String provider;
    private final AtomicInteger calls = new AtomicInteger();
    /** Counted down as a call arrives while held. */
    private final CountDownLatch entered = new CountDownLatch(1);
    private volatile CountDownLatch held;

    public InMemoryTokenEndpoint(String provider) {
        this.provider = provider;
    }

    /**
     * Gives every provider of the context an endpoint of its own, from the returned map (by provider name): put one in
     * before the provider starts to hold its calls from the first.
     */
    public static Map<String, InMemoryTokenEndpoint> install(CamelContext context) {
        Map<String, InMemoryTokenEndpoint> endpoints = new ConcurrentHashMap<>();
        context.getCamelContextExtension().addContextPlugin(TokenClientFactory.class,
                (camelContext, definition) -> endpoints.computeIfAbsent(definition.name(), InMemoryTokenEndpoint::new));
        return endpoints;
    }

    /** From now on, calls wait until {@code release} counts down. */
    public void hold(CountDownLatch release) {
        this.held = release;
    }

    /** Waits until a held call arrived. */
    public void awaitHeldCall() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no token call of " + provider + " arrived");
        }
    }

    public int calls() {
        return calls.get();
    }

    @Override
    public TokenResponse send(TokenRequest request) throws IOException {
        int n = calls.incrementAndGet();
        CountDownLatch release = held;
        if (release != null) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held");
            }
        }
        String json = "{\"access_token\":\"" + provider + "-at-" + n + "\",\"refresh_token\":\"" + provider + "-rt-" + n
                      + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}";
        return new TokenResponse(200, "application/json", null, null, json.getBytes(StandardCharsets.UTF_8));
    }
}
