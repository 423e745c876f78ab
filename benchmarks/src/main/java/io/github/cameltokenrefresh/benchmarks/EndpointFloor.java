package io.github.cameltokenrefresh.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.cameltokenrefresh.testing.StrictTokenServer;

/**
 * The least a refresh can cost on this machine right now: the same refresh_token calls to the same token server,
 * from {@code concurrency} threads with the JDK HttpClient and nothing else (no Camel, no store). Measured next to a
 * pass, it shows how much of the pass's distance to the ideal bound is the machine's load rather than the component.
 */
final class EndpointFloor {

    private EndpointFloor() {
    }

    /** Seconds for {@code calls} successful refreshes, {@code concurrency} at a time. */
    static double seconds(StrictTokenServer tokens, int calls, int concurrency) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((Fixtures.CLIENT_ID + ":" + Fixtures.CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        List<String> refreshTokens = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String rt = "floor-" + System.nanoTime() + "-" + i;
            tokens.addRefreshToken(rt);
            refreshTokens.add(rt);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                int first = t;
                done.add(threads.submit(() -> {
                    for (int i = first; i < calls; i += concurrency) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(tokens.tokenUrl()))
                                .header("Authorization", basic)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Accept", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                                                                          + refreshTokens.get(i)))
                                .build();
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("floor call refused: HTTP " + response.statusCode() + " "
                                                            + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            threads.shutdownNow();
        }
    }
}
