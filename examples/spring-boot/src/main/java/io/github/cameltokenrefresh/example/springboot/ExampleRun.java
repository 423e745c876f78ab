package io.github.cameltokenrefresh.example.springboot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * What the example does once Camel runs: API calls with fresh tokens, one access token revoked by the (local)
 * provider and recovered, then the provider as operations see it through the actuator. Records the outcome in
 * {@link Result}; the application stops after it.
 */
@Component
public class ExampleRun implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.example");
    private static final String CHECK = "tokenrefresh-" + SpringBootExample.PROVIDER;

    private final ProducerTemplate template;
    private final Environment environment;
    private final Result result;
    private final HttpClient http = HttpClient.newHttpClient();

    public ExampleRun(ProducerTemplate template, Environment environment, Result result) {
        this.template = template;
        this.environment = environment;
        this.result = result;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        try {
            int calls = environment.getProperty("example.calls", Integer.class, 4);
            for (int i = 1; i <= calls; i++) {
                call(i);
                if (i == calls / 2 && result.server != null) {
                    List<String> issued = result.server.issuedAccessTokens();
                    result.server.revokeAccessToken(issued.get(issued.size() - 1));
                    LOG.info("the provider revoked the access token in use: the next call gets a 401");
                }
            }
            report();
        } catch (Exception e) {
            result.fail(e.getMessage());
            LOG.error("the example failed: {}", e.getMessage());
        }
    }

    private void call(int n) {
        template.requestBody("direct:subscribers", "", String.class); // throws unless the API answered 2xx
        if (result.server != null) {
            LOG.info("call {}: the API accepted the Bearer token (token calls so far: {}, API 401s: {})", n,
                     result.server.successfulRefreshes(), result.server.unauthorizedResourceCalls());
        } else {
            LOG.info("call {}: the API accepted the Bearer token", n);
        }
    }

    /** The provider's health and meters, read over HTTP from the actuator as a monitoring system would. */
    private void report() throws IOException, InterruptedException {
        JsonNode health = get("/actuator/health");
        JsonNode details = health.path("components").path("camelHealth").path("details");
        String state = details.path(CHECK).asText("missing");
        LOG.info("actuator /health: camelHealth {} = {} {}", CHECK, state, details.path(CHECK + ".data"));
        if (!state.equals("UP")) {
            throw new IllegalStateException(CHECK + " is " + state + " in the actuator health endpoint");
        }
        JsonNode refreshes = get("/actuator/metrics/tokenrefresh.refreshes?tag=provider:" + SpringBootExample.PROVIDER);
        double count = refreshes.path("measurements").path(0).path("value").asDouble(0);
        LOG.info("actuator /metrics: tokenrefresh.refreshes [provider:{}] = {}", SpringBootExample.PROVIDER, count);
        if (count < 1) {
            throw new IllegalStateException("no tokenrefresh.refreshes in Spring Boot's MeterRegistry");
        }
        if (result.server != null && result.server.unauthorizedResourceCalls() != 1) {
            throw new IllegalStateException("expected one 401 (recovered), the API answered "
                                            + result.server.unauthorizedResourceCalls());
        }
        result.succeed();
        LOG.info("OK: every API call carried a valid token{}", result.server == null ? ""
                : ", the 401 was recovered by one refresh and a redelivery");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                                                  HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    /** The outcome, read by {@link SpringBootExample#main} after the application stopped. */
    public static final class Result {
        private final StrictTokenServer server;
        private volatile boolean ok;
        private volatile String failure;

        Result(StrictTokenServer server) {
            this.server = server;
        }

        void succeed() {
            ok = failure == null;
        }

        void fail(String message) {
            failure = message;
            ok = false;
        }

        boolean ok() {
            return ok;
        }

        String failure() {
            return failure;
        }
    }
}
