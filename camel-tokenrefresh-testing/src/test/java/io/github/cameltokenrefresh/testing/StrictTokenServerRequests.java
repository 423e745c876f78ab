package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the tests of the test server share: requests made with the JDK HttpClient (so nothing here depends on the
 * component under test), form and Basic encoding written out by hand, and the check of a rejection: status, RFC 6749
 * §5.2 error and the reason the server recorded.
 */
abstract class StrictTokenServerRequests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON_TYPE = "application/json";

    // HTTP/1.1 only: the default HTTP/2 upgrade attempt would add h2c headers to the recorded wire format. One client
    // for every test class; its pool's threads are daemons and end when idle, so no class has to shut it down
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "strict-token-server-client");
                t.setDaemon(true);
                return t;
            }))
            .build();

    static HttpResponse<String> post(String url, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder);
    }

    static HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return HTTP.send(builder.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String form(String... pairs) {
        StringJoiner joiner = new StringJoiner("&");
        for (int i = 0; i < pairs.length; i += 2) {
            joiner.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                       + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return joiner.toString();
    }

    /** RFC 6749 §2.3.1: form-encode id and secret, join with ':', then Base64. */
    static String basic(String clientId, String clientSecret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                      + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Status, RFC 6749 §5.2 JSON error body, and a reason recorded by the server for this very request. */
    static void assertRejected(StrictTokenServer server, HttpResponse<String> response, int status,
                                       String error, String reasonFragment) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(JSON_TYPE, response.headers().firstValue("Content-Type").orElse(null));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(error, body.get("error").asText(), response.body());
        assertNotNull(body.get("error_description"), response.body());
        List<String> reasons = server.rejections();
        assertFalse(reasons.isEmpty(), "no rejection recorded");
        String last = reasons.get(reasons.size() - 1);
        assertTrue(last.contains(reasonFragment), "reason '" + last + "' does not mention '" + reasonFragment + "'");
    }
}
