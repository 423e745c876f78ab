package io.github.cameltokenrefresh.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * The resource server at {@link StrictTokenServer#RESOURCE_PATH} (RFC 6750): GET or POST with exactly one
 * {@code Authorization: Bearer} header carrying an access token the server issued, not revoked and not expired.
 */
final class ResourceServer implements TokenServerHttpShell.Endpoint {

    private final Predicate<String> validAccessToken;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();

    ResourceServer(Predicate<String> validAccessToken) {
        this.validAccessToken = validAccessToken;
    }

    @Override
    public HttpAnswer answer(RecordedRequest request) {
        calls.incrementAndGet();
        if (!"GET".equals(request.method()) && !"POST".equals(request.method())) {
            return HttpAnswer.of(405, HttpAnswer.JSON, HttpAnswer.errorBody("invalid_request",
                                                                            "method must be GET or POST"),
                                 Map.of("Allow", "GET, POST"));
        }
        List<String> auth = request.headers().getOrDefault("authorization", List.of());
        if (auth.isEmpty()) {
            // RFC 6750 §3.1: no error code when the request carried no authentication at all
            return unauthorized("no Authorization header", "Bearer");
        }
        String value = auth.get(0);
        boolean bearer = auth.size() == 1 && value.regionMatches(true, 0, "Bearer ", 0, 7);
        if (!bearer || !validAccessToken.test(value.substring(7))) {
            return unauthorized("the access token is not valid", "Bearer error=\"invalid_token\"");
        }
        return HttpAnswer.of(200, HttpAnswer.JSON, "{\"ok\":true}", Map.of());
    }

    private HttpAnswer unauthorized(String description, String challenge) {
        unauthorized.incrementAndGet();
        return HttpAnswer.of(401, HttpAnswer.JSON, HttpAnswer.errorBody("invalid_token", description),
                             Map.of("WWW-Authenticate", challenge));
    }

    int calls() {
        return calls.get();
    }

    int unauthorizedCalls() {
        return unauthorized.get();
    }
}
