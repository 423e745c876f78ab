package io.github.cameltokenrefresh;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.github.cameltokenrefresh.assembly.TokenClientFactory;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import org.apache.camel.CamelContext;

/**
 * A token endpoint in memory that keeps every request (the URL it went to, its form or JSON body) and answers with
 * what the test's vendor rules say: the socket-free seam for quirks that depend on where and what was sent.
 */
public final class RecordingTokenEndpoint implements TokenClient {

    /** One request as the provider would have received it. */
    public record Call(URI url, Map<String, String> headers, String body) {
    }

    private final URI providerUrl;
    private final Function<Call, String> answer;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private RecordingTokenEndpoint(URI providerUrl, Function<Call, String> answer) {
        this.providerUrl = providerUrl;
        this.answer = answer;
    }

    /**
     * Every provider of the context gets one, answering with {@code answers}: a JSON body on HTTP 200, or
     * {@link #status} for another status.
     */
    public static Map<String, RecordingTokenEndpoint> install(CamelContext context, Function<Call, String> answers) {
        Map<String, RecordingTokenEndpoint> endpoints = new ConcurrentHashMap<>();
        context.getCamelContextExtension().addContextPlugin(TokenClientFactory.class,
                (camelContext, definition) -> endpoints.computeIfAbsent(definition.name(),
                        name -> new RecordingTokenEndpoint(definition.dialect().tokenUrl(), answers)));
        return endpoints;
    }

    /** The parameters of a form body. */
    public static Map<String, String> form(Call call) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : call.body().split("&")) {
            int eq = pair.indexOf('=');
            form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                     java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    public List<Call> calls() {
        return calls;
    }

    /** An answer with a status other than 200. */
    public static String status(int status, String json) {
        return "HTTP " + status + " " + json;
    }

    @Override
    public TokenResponse send(TokenRequest request) throws IOException {
        String body = request.body() == null ? request.query() : new String(request.body(), StandardCharsets.UTF_8);
        Call call = new Call(request.url() == null ? providerUrl : request.url(), request.headers(), body);
        calls.add(call);
        String json = answer.apply(call);
        int status = 200;
        if (json.startsWith("HTTP ")) {
            status = Integer.parseInt(json.substring(5, 8));
            json = json.substring(9);
        }
        return new TokenResponse(status, "application/json", null, null, json.getBytes(StandardCharsets.UTF_8));
    }
}
