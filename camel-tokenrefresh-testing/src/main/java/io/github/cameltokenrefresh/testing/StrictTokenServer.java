package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real local token endpoint that speaks exactly one provider dialect and rejects every request that is not in that
 * dialect's wire format, so a passing component test proves the wire format and not just "some POST arrived". It is
 * also a tiny resource server at {@link #resourceUrl()} that accepts only the access tokens it issued.
 * <p>
 * Rejections answer with an RFC 6749 §5.2 JSON error and leave a human-readable reason in {@link #rejections()}.
 * Error descriptions never echo secrets or token values, so log-masking tests are not fooled by the server.
 */
public final class StrictTokenServer implements AutoCloseable {

    /** The wire formats this server can speak, one per vendor document. */
    public enum Dialect {
        /** RFC 6749 §6: form body, grant_type=refresh_token, client auth by Basic or by form fields. */
        OAUTH2("/oauth/token", 3600L, true),
        /** Newsletter2Go: JSON body, Basic auth key verbatim, grant type https://nl2go.com/jwt, same refresh token. */
        NEWSLETTER2GO("/oauth/v2/token", 7200L, false),
        /** AWeber: form body (or query string), Basic client credentials, expires_in and expires_at in the answer. */
        AWEBER("/oauth2/token", 7200L, true),
        /** Partner API: headers partnerId and grantType, JSON body {"refreshToken"}. */
        PARTNER("/v1/auth/token", 3600L, true);

        private final String tokenPath;
        private final Long defaultExpiresIn;
        private final boolean defaultRotation;

        Dialect(String tokenPath, Long defaultExpiresIn, boolean defaultRotation) {
            this.tokenPath = tokenPath;
            this.defaultExpiresIn = defaultExpiresIn;
            this.defaultRotation = defaultRotation;
        }

        public String tokenPath() {
            return tokenPath;
        }
    }

    /** One request as it arrived: header names lower-cased, body as the raw UTF-8 string. */
    public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                                  String body) {

        /** The first value of a header (any case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    public static final String RESOURCE_PATH = "/api/resource";
    public static final String NEWSLETTER2GO_GRANT_TYPE = "https://nl2go.com/jwt";
    /** What public Newsletter2Go client libraries send instead of the documented grant type. */
    public static final String NEWSLETTER2GO_LIBRARY_GRANT_TYPE = "https://nl2go.com/jwt_refresh";
    public static final String PARTNER_INVALID_GRANT = "Refresh token has expired or is invalid.";
    public static final String PARTNER_MISSING_TOKEN = "Missing refresh token.";

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String REALM = "strict-token-server";

    // Duplicate JSON keys are a malformed request (RFC 6749 §3.2: parameters must not repeat), so detect them.
    // Plain BigDecimal output keeps AWeber's expires_at a float like 1764007200.000, never 1.7640072E+9.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final Dialect dialect;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;

    // configuration: volatile so tests may change it while the server runs
    private volatile String clientId = "test-client";
    private volatile String clientSecret = "test-secret";
    private volatile boolean clientAuthInBody;
    private volatile String authKey = Base64.getEncoder()
            .encodeToString("test-client:test-secret".getBytes(StandardCharsets.UTF_8));
    private volatile int partnerId = 4711;
    private volatile Set<String> acceptedGrantTypes;
    private volatile Set<String> extraParameters = Set.of();
    private volatile Map<String, String> requiredHeaders = Map.of();
    private volatile boolean rotate;
    private volatile boolean revokeFamilyOnReuse;
    private volatile boolean omitRefreshToken;
    private volatile Long expiresIn;
    private volatile Duration responseDelay = Duration.ZERO;
    /** While set, each token call waits for a permit before it is answered: a latched endpoint. */
    private volatile Semaphore gate;
    private volatile Clock clock = Clock.systemUTC();
    private volatile Consumer<RecordedRequest> beforeTokenCall = request -> {
    };
    private final AuthorizationEndpoint authorization = new AuthorizationEndpoint(() -> clientId, () -> clock);

    // token state; every read-modify-write happens under this lock so concurrent refreshes are atomic
    private final Object lock = new Object();
    private final Map<String, RefreshState> refreshTokens = new LinkedHashMap<>();
    private final Map<String, Instant> accessTokenExpiry = new LinkedHashMap<>(); // value null: never expires
    private final Set<String> revokedAccessTokens = new LinkedHashSet<>();
    private final List<String> issuedAccessTokens = new ArrayList<>();
    private final List<String> issuedRefreshTokens = new ArrayList<>();

    private final Deque<Fault> faults = new ArrayDeque<>(); // guarded by lock

    // observations
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final AtomicInteger tokenCallsInFlight = new AtomicInteger();
    private final AtomicInteger maxTokenCallsInFlight = new AtomicInteger();
    private final AtomicInteger successfulRefreshes = new AtomicInteger();
    /** Each refresh token's family: the refresh token it descends from by rotation (itself for a root). */
    private final Map<String, String> familyOf = new LinkedHashMap<>();
    private final AtomicInteger familyRevocations = new AtomicInteger();
    private final AtomicInteger resourceCalls = new AtomicInteger();
    private final AtomicInteger unauthorizedResourceCalls = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> rejections = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();

    private volatile boolean closed;

    private enum RefreshState { VALID, USED, REVOKED }

    private record Fault(int status, String body, Map<String, String> headers) {
    }

    /** The parameters of a request that passed the wire-format checks. */
    private record Grant(String refreshToken, String scope) {
    }

    /** A wire-format violation; thrown by the validators and turned into an RFC 6749 §5.2 answer. */
    private static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;
        final String description;
        final String reason;
        final transient Map<String, String> headers = new LinkedHashMap<>();

        Rejected(int status, String error, String reason) {
            this(status, error, reason, reason);
        }

        Rejected(int status, String error, String description, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.error = error;
            this.description = description;
            this.reason = reason;
        }

        Rejected header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    private StrictTokenServer(Dialect dialect) throws IOException {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.acceptedGrantTypes = dialect == Dialect.NEWSLETTER2GO
                ? Set.of(NEWSLETTER2GO_GRANT_TYPE, NEWSLETTER2GO_LIBRARY_GRANT_TYPE)
                : Set.of("refresh_token");
        this.rotate = dialect.defaultRotation;
        this.expiresIn = dialect.defaultExpiresIn;
        // a large backlog so 200+ simultaneous connects are not throttled by the kernel's accept queue
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        // cached pool: a delayed token call must not block the others (concurrency tests rely on overlap)
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "strict-token-server-" + dialect.name().toLowerCase(Locale.ROOT));
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static StrictTokenServer start(Dialect dialect) {
        try {
            return new StrictTokenServer(dialect);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start StrictTokenServer", e);
        }
    }

    // ---------------------------------------------------------------- addresses

    public Dialect dialect() {
        return dialect;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String tokenPath() {
        return dialect.tokenPath;
    }

    public String tokenUrl() {
        return baseUrl + tokenPath();
    }

    public String resourceUrl() {
        return baseUrl + RESOURCE_PATH;
    }

    /** The authorization endpoint URL (RFC 6749 §4.1); OAUTH2 and AWEBER dialects redeem its codes. */
    public String authorizationUrl() {
        return baseUrl + AuthorizationEndpoint.PATH;
    }

    /** The authorization endpoint: register the redirect URI there, deny the next consent, read issued codes. */
    public AuthorizationEndpoint authorization() {
        return authorization;
    }

    // ---------------------------------------------------------------- configuration

    /** Client credentials expected as Basic base64(urlencode(id):urlencode(secret)) (OAUTH2, AWEBER). */
    public StrictTokenServer clientCredentials(String clientId, String clientSecret) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        return this;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    /** OAUTH2 only: expect client_id and client_secret form fields and no Authorization header. */
    public StrictTokenServer clientAuthInBody(boolean inBody) {
        if (inBody && dialect != Dialect.OAUTH2) {
            throw new IllegalStateException("client authentication in the body exists only in the OAUTH2 dialect");
        }
        this.clientAuthInBody = inBody;
        return this;
    }

    /** NEWSLETTER2GO: the Base64 auth key expected verbatim after "Basic ". */
    public StrictTokenServer authKey(String base64AuthKey) {
        this.authKey = Objects.requireNonNull(base64AuthKey, "base64AuthKey");
        return this;
    }

    public String authKey() {
        return authKey;
    }

    /** PARTNER: the value the partnerId header must carry. */
    public StrictTokenServer partnerId(int partnerId) {
        this.partnerId = partnerId;
        return this;
    }

    public int partnerId() {
        return partnerId;
    }

    /** Replaces the accepted grant types (NEWSLETTER2GO defaults to both jwt and jwt_refresh, others refresh_token). */
    public StrictTokenServer acceptGrantTypes(String... grantTypes) {
        if (grantTypes.length == 0) {
            throw new IllegalArgumentException("at least one grant type");
        }
        this.acceptedGrantTypes = Set.of(grantTypes);
        return this;
    }

    /** Body fields (form or JSON) allowed beyond the dialect's own; anything else is rejected as unexpected. */
    public StrictTokenServer allowExtraParameters(String... names) {
        Set<String> merged = new LinkedHashSet<>(extraParameters);
        merged.addAll(List.of(names));
        this.extraParameters = Set.copyOf(merged);
        return this;
    }

    /** A header every token call must carry with exactly this value (for custom-header options). */
    public StrictTokenServer requireHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(requiredHeaders);
        merged.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "value"));
        this.requiredHeaders = Map.copyOf(merged);
        return this;
    }

    /** A refresh token the server accepts. */
    public StrictTokenServer addRefreshToken(String refreshToken) {
        synchronized (lock) {
            refreshTokens.remove(refreshToken); // re-adding makes it the newest
            refreshTokens.put(Objects.requireNonNull(refreshToken, "refreshToken"), RefreshState.VALID);
        }
        return this;
    }

    /** Mints a new valid refresh token and returns it. */
    public String issueRefreshToken() {
        String rt = "rt-" + UUID.randomUUID();
        synchronized (lock) {
            refreshTokens.put(rt, RefreshState.VALID);
            issuedRefreshTokens.add(rt);
        }
        return rt;
    }

    /** Mints a valid access token with the configured expires_in, as if a refresh had happened. */
    public String issueAccessToken() {
        synchronized (lock) {
            return newAccessToken(clock.instant(), expiresIn);
        }
    }

    /** true: each refresh answers a new refresh token and the used one becomes invalid_grant. */
    public StrictTokenServer rotateRefreshTokens(boolean rotate) {
        this.rotate = rotate;
        return this;
    }

    /**
     * RFC 9700 §4.14.2, as Keycloak, Okta and Auth0 do: a refresh token presented again after it was rotated away
     * revokes its whole family, the current refresh token included, so both the thief and the victim must re-authorize.
     */
    public StrictTokenServer revokeFamilyOnReuse(boolean revoke) {
        this.revokeFamilyOnReuse = revoke;
        return this;
    }

    /** How many times a reused refresh token revoked its family. */
    public int familyRevocations() {
        return familyRevocations.get();
    }

    /** Answers without refresh_token; the used one then stays valid (the client must keep it). */
    public StrictTokenServer omitRefreshTokenInResponse(boolean omit) {
        this.omitRefreshToken = omit;
        return this;
    }

    /** Lifetime of issued access tokens; null omits expires_in (and expires_at) and the token never expires here. */
    public StrictTokenServer expiresIn(Long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** Delay before answering each token call, so concurrent callers overlap. */
    public StrictTokenServer responseDelay(Duration d) {
        this.responseDelay = Objects.requireNonNull(d, "d");
        return this;
    }

    /**
     * Latches the token endpoint: from now on each token call waits, after it was counted as in flight, until
     * {@link #releaseTokenCalls} lets it through, so a test can look at callers while their calls hang.
     */
    public StrictTokenServer holdTokenCalls() {
        this.gate = new Semaphore(0);
        return this;
    }

    /** Lets {@code calls} held token calls (or later ones) be answered. */
    public void releaseTokenCalls(int calls) {
        Semaphore g = gate;
        if (g == null) {
            throw new IllegalStateException("holdTokenCalls() was not called");
        }
        g.release(calls);
    }

    /** Token calls waiting at the latch now. */
    public int heldTokenCalls() {
        Semaphore g = gate;
        return g == null ? 0 : g.getQueueLength();
    }

    /**
     * Runs for every token call once it has arrived, before the server looks at it: a test may hold the call there
     * (on a latch) or look at the world as the call finds it. Runs on the call's own thread; null: nothing.
     */
    public StrictTokenServer beforeEachTokenCall(Consumer<RecordedRequest> hook) {
        this.beforeTokenCall = hook == null ? request -> {
        } : hook;
        return this;
    }

    /** The clock for issuing and checking expiry (tests may pass a movable clock). */
    public StrictTokenServer clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Makes a refresh token answer invalid_grant from now on. */
    public StrictTokenServer revokeRefreshToken(String rt) {
        synchronized (lock) {
            refreshTokens.put(rt, RefreshState.REVOKED);
        }
        return this;
    }

    /** The resource server answers 401 for this token from now on. */
    public void revokeAccessToken(String accessToken) {
        synchronized (lock) {
            revokedAccessTokens.add(accessToken);
        }
    }

    /** Issued, not revoked, and not expired by the server clock. */
    public boolean isAccessTokenValid(String accessToken) {
        if (accessToken == null) {
            return false;
        }
        synchronized (lock) {
            if (!accessTokenExpiry.containsKey(accessToken) || revokedAccessTokens.contains(accessToken)) {
                return false;
            }
            Instant expiry = accessTokenExpiry.get(accessToken);
            return expiry == null || clock.instant().isBefore(expiry);
        }
    }

    /**
     * The next {@code times} token calls that pass every check (wire format and a valid refresh token) get this raw
     * answer instead of a token; the refresh token is then not consumed. Replaces any faults still pending, so
     * {@code failNext(0, ...)} makes the server healthy again.
     *
     * @param contentType  null sends no Content-Type
     * @param body         null sends an empty body
     * @param extraHeaders e.g. Retry-After; may be null
     */
    public void failNext(int times, int status, String contentType, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders == null ? Map.of() : extraHeaders);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        Fault fault = new Fault(status, body == null ? "" : body, Collections.unmodifiableMap(headers));
        synchronized (lock) {
            faults.clear();
            for (int i = 0; i < times; i++) {
                faults.addLast(fault);
            }
        }
    }

    /** Drops pending faults: the server answers normally again. */
    public void clearFailures() {
        synchronized (lock) {
            faults.clear();
        }
    }

    /** How many injected faults are still to be answered. */
    public int pendingFailures() {
        synchronized (lock) {
            return faults.size();
        }
    }

    // ---------------------------------------------------------------- observations

    /** All requests to the token path, accepted or not. */
    public int tokenCalls() {
        return tokenCalls.get();
    }

    /** The most token calls this server was answering at one moment. */
    public int maxTokenCallsInFlight() {
        return maxTokenCallsInFlight.get();
    }

    public int successfulRefreshes() {
        return successfulRefreshes.get();
    }

    public int resourceCalls() {
        return resourceCalls.get();
    }

    public int unauthorizedResourceCalls() {
        return unauthorizedResourceCalls.get();
    }

    /** One reason per rejected request, in arrival order of the rejections. */
    public List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** The newest valid refresh token, or null when none is valid. */
    public String currentRefreshToken() {
        synchronized (lock) {
            String newest = null;
            for (Map.Entry<String, RefreshState> e : refreshTokens.entrySet()) {
                if (e.getValue() == RefreshState.VALID) {
                    newest = e.getKey();
                }
            }
            return newest;
        }
    }

    public List<String> issuedAccessTokens() {
        synchronized (lock) {
            return List.copyOf(issuedAccessTokens);
        }
    }

    /** Refresh tokens this server minted (by rotation or {@link #issueRefreshToken()}), not ones added by tests. */
    public List<String> issuedRefreshTokens() {
        synchronized (lock) {
            return List.copyOf(issuedRefreshTokens);
        }
    }

    /** Every request the server received (token, resource and unknown paths), in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests to the token path only. */
    public List<RecordedRequest> tokenRequests() {
        return requests.stream().filter(r -> tokenPath().equals(r.path())).toList();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow(); // interrupts calls sleeping in responseDelay
    }

    // ---------------------------------------------------------------- HTTP handling

    private void handle(HttpExchange exchange) {
        try {
            RecordedRequest request = record(exchange);
            requests.add(request);
            if (tokenPath().equals(request.path())) {
                handleToken(exchange, request);
            } else if (RESOURCE_PATH.equals(request.path())) {
                handleResource(exchange, request);
            } else if (AuthorizationEndpoint.PATH.equals(request.path())) {
                handleAuthorize(exchange, request);
            } else {
                String reason = "path was " + request.path() + ", expected " + tokenPath();
                rejections.add(reason);
                sendError(exchange, new Rejected(404, "invalid_request", reason));
            }
        } catch (Exception e) {
            // a server bug must show up as a failing test, not a hang
            try {
                send(exchange, 500, JSON, errorBody("server_error", "StrictTokenServer failed: " + e), Map.of());
            } catch (IOException ignored) {
                // the client is gone
            }
        } finally {
            exchange.close();
        }
    }

    private static RecordedRequest record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        headers.replaceAll((k, v) -> List.copyOf(v));
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                                   exchange.getRequestURI().getRawQuery(), Collections.unmodifiableMap(headers),
                                   new String(body, StandardCharsets.UTF_8));
    }

    private void handleToken(HttpExchange exchange, RecordedRequest request) throws IOException {
        tokenCalls.incrementAndGet();
        maxTokenCallsInFlight.accumulateAndGet(tokenCallsInFlight.incrementAndGet(), Math::max);
        try {
            delay();
            beforeTokenCall.accept(request);
            answerToken(exchange, request);
        } finally {
            tokenCallsInFlight.decrementAndGet();
        }
    }

    private void answerToken(HttpExchange exchange, RecordedRequest request) throws IOException {
        try {
            if (!"POST".equals(request.method())) {
                throw new Rejected(405, "invalid_request", "method was " + request.method() + ", expected POST")
                        .header("Allow", "POST");
            }
            checkRequiredHeaders(request);
            Grant grant = switch (dialect) {
                case OAUTH2, AWEBER -> validateForm(request);
                case NEWSLETTER2GO -> validateNewsletter2Go(request);
                case PARTNER -> validatePartner(request);
            };
            Object answer = refresh(grant);
            if (answer instanceof Fault fault) {
                send(exchange, fault.status(), null, fault.body(), fault.headers());
            } else {
                Map<String, String> headers = Map.of("Cache-Control", "no-store", "Pragma", "no-cache");
                send(exchange, 200, JSON, MAPPER.writeValueAsString(answer), headers);
            }
        } catch (Rejected rejected) {
            rejections.add(rejected.reason);
            sendError(exchange, rejected);
        }
    }

    private void handleAuthorize(HttpExchange exchange, RecordedRequest request) throws IOException {
        try {
            send(exchange, 302, null, "", Map.of("Location", authorization.authorize(request.method(), request.query()),
                                                 "Cache-Control", "no-store"));
        } catch (AuthorizationEndpoint.Refusal refusal) {
            rejections.add(refusal.getMessage());
            send(exchange, refusal.status, "text/plain; charset=utf-8", refusal.error + ": " + refusal.getMessage(),
                 Map.of());
        }
    }

    private void delay() {
        Semaphore g = gate;
        if (g != null) {
            try {
                g.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Duration d = responseDelay;
        if (!d.isZero() && !d.isNegative()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handleResource(HttpExchange exchange, RecordedRequest request) throws IOException {
        resourceCalls.incrementAndGet();
        if (!"GET".equals(request.method()) && !"POST".equals(request.method())) {
            send(exchange, 405, JSON, errorBody("invalid_request", "method must be GET or POST"),
                 Map.of("Allow", "GET, POST"));
            return;
        }
        List<String> auth = request.headers().getOrDefault("authorization", List.of());
        if (auth.isEmpty()) {
            // RFC 6750 §3.1: no error code when the request carried no authentication at all
            unauthorizedResourceCalls.incrementAndGet();
            send(exchange, 401, JSON, errorBody("invalid_token", "no Authorization header"),
                 Map.of("WWW-Authenticate", "Bearer"));
            return;
        }
        String value = auth.get(0);
        boolean bearer = auth.size() == 1 && value.regionMatches(true, 0, "Bearer ", 0, 7);
        if (!bearer || !isAccessTokenValid(value.substring(7))) {
            unauthorizedResourceCalls.incrementAndGet();
            send(exchange, 401, JSON, errorBody("invalid_token", "the access token is not valid"),
                 Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
            return;
        }
        send(exchange, 200, JSON, "{\"ok\":true}", Map.of());
    }

    // ---------------------------------------------------------------- dialect validation

    /** OAUTH2 and AWEBER: form parameters, Basic (or, OAUTH2 only, body) client authentication. */
    private Grant validateForm(RecordedRequest request) throws Rejected {
        boolean hasQuery = request.query() != null && !request.query().isEmpty();
        boolean hasBody = !request.body().isEmpty();
        String source;
        if (dialect == Dialect.AWEBER && hasQuery) {
            // AWeber's page shows the parameters as a query string; allowed, but never split across both places
            if (hasBody) {
                throw invalidRequest("parameters were in both the query string and the body, expected exactly one");
            }
            source = request.query();
            // an empty POST has no media type; if one is named, it must still be the form type
            if (request.header("content-type") != null) {
                checkContentType(request, FORM);
            }
        } else {
            if (hasQuery) {
                throw invalidRequest("unexpected query string " + queryNames(request.query()));
            }
            checkContentType(request, FORM);
            source = request.body();
        }
        Map<String, String> params = parseForm(source);

        authenticateClient(request, params);

        String grantType = params.get("grant_type");
        if (grantType == null) {
            throw invalidRequest("form field grant_type missing");
        }
        if (AuthorizationEndpoint.GRANT_TYPE.equals(grantType)) {
            try {
                String scope = authorization.redeem(params, clientId, clientAuthInBody
                        ? Set.of("client_id", "client_secret") : Set.of());
                // a new token pair, issued through the same path (faults, rotation, the dialect's answer) as a refresh
                return new Grant(issueRefreshToken(), scope);
            } catch (AuthorizationEndpoint.Refusal refusal) {
                throw new Rejected(refusal.status, refusal.error, refusal.getMessage());
            }
        }
        if (!acceptedGrantTypes.contains(grantType)) {
            throw new Rejected(400, "unsupported_grant_type", "grant_type was " + grantType + ", expected one of "
                                                              + new TreeSet<>(acceptedGrantTypes));
        }
        Set<String> allowed = new LinkedHashSet<>(List.of("grant_type", "refresh_token"));
        if (dialect == Dialect.OAUTH2) {
            allowed.add("scope");
            if (clientAuthInBody) {
                allowed.addAll(List.of("client_id", "client_secret"));
            }
        }
        checkUnexpected("form field", params.keySet(), allowed);
        String refreshToken = params.get("refresh_token");
        if (refreshToken == null) {
            throw invalidRequest("form field refresh_token missing");
        }
        return new Grant(refreshToken, params.get("scope"));
    }

    private void authenticateClient(RecordedRequest request, Map<String, String> params) throws Rejected {
        List<String> auth = request.headers().getOrDefault("authorization", List.of());
        boolean secretInBody = params.containsKey("client_secret");
        if (clientAuthInBody) {
            if (!auth.isEmpty()) {
                if (secretInBody) {
                    throw invalidRequest("more than one client authentication method (Authorization header and "
                                         + "client_secret form field)");
                }
                throw invalidClient("Authorization header present, expected client_id and client_secret form fields");
            }
            if (!params.containsKey("client_id") || !secretInBody) {
                throw invalidClient("form fields client_id and client_secret missing");
            }
            if (!clientId.equals(params.get("client_id")) || !clientSecret.equals(params.get("client_secret"))) {
                throw invalidClient("form fields client_id/client_secret did not match the configured client");
            }
            return;
        }
        if (auth.isEmpty()) {
            throw invalidClient(secretInBody
                    ? "Authorization header missing (client credentials were in the body, expected Basic)"
                    : "Authorization header missing, expected Basic client credentials");
        }
        if (secretInBody) {
            throw invalidRequest("more than one client authentication method (Authorization header and "
                                 + "client_secret form field)");
        }
        if (auth.size() > 1) {
            throw invalidRequest("Authorization header sent " + auth.size() + " times");
        }
        String value = auth.get(0);
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw invalidClient("Authorization scheme was " + scheme(value) + ", expected Basic");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidClient("Basic credentials were not valid Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw invalidClient("Basic credentials had no ':' between client id and secret");
        }
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64; decoding catches a client that skipped it
        String id;
        String secret;
        try {
            id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidClient("Basic credentials were not form-urlencoded as RFC 6749 §2.3.1 asks");
        }
        if (!clientId.equals(id) || !clientSecret.equals(secret)) {
            throw invalidClient("Basic credentials did not match the configured client (id and secret must be "
                                + "form-urlencoded before Base64, RFC 6749 §2.3.1)");
        }
    }

    private Grant validateNewsletter2Go(RecordedRequest request) throws Rejected {
        if (request.query() != null && !request.query().isEmpty()) {
            throw invalidRequest("unexpected query string " + queryNames(request.query()));
        }
        checkContentType(request, JSON);
        List<String> auth = request.headers().getOrDefault("authorization", List.of());
        if (auth.isEmpty()) {
            throw invalidClient("Authorization header missing, expected Basic <auth key>");
        }
        if (auth.size() > 1) {
            throw invalidRequest("Authorization header sent " + auth.size() + " times");
        }
        if (!("Basic " + authKey).equals(auth.get(0))) {
            throw invalidClient(auth.get(0).startsWith("Basic ")
                    ? "Authorization was Basic with a different value, expected the configured auth key verbatim"
                    : "Authorization scheme was " + scheme(auth.get(0)) + ", expected Basic <auth key>");
        }
        ObjectNode json = parseJsonObject(request.body());
        Set<String> allowed = Set.of("refresh_token", "grant_type");
        checkUnexpected("JSON field", fieldNames(json), allowed);
        String grantType = textField(json, "grant_type");
        if (grantType == null) {
            throw invalidRequest("JSON field grant_type missing");
        }
        if (!acceptedGrantTypes.contains(grantType)) {
            throw new Rejected(400, "unsupported_grant_type", "grant_type was " + grantType + ", expected one of "
                                                              + new TreeSet<>(acceptedGrantTypes));
        }
        String refreshToken = textField(json, "refresh_token");
        if (refreshToken == null) {
            throw invalidRequest("JSON field refresh_token missing");
        }
        return new Grant(refreshToken, null);
    }

    private Grant validatePartner(RecordedRequest request) throws Rejected {
        if (request.query() != null && !request.query().isEmpty()) {
            throw invalidRequest("unexpected query string " + queryNames(request.query()));
        }
        List<String> ids = request.headers().getOrDefault("partnerid", List.of());
        if (ids.isEmpty()) {
            throw invalidRequest("header partnerId missing");
        }
        if (ids.size() > 1) {
            throw invalidRequest("header partnerId sent " + ids.size() + " times");
        }
        int id;
        try {
            id = Integer.parseInt(ids.get(0));
        } catch (NumberFormatException e) {
            throw invalidRequest("header partnerId was '" + ids.get(0) + "', expected an int32");
        }
        if (id != partnerId) {
            throw invalidClient("header partnerId was " + id + ", expected " + partnerId);
        }
        List<String> grantTypes = request.headers().getOrDefault("granttype", List.of());
        if (grantTypes.isEmpty()) {
            throw invalidRequest("header grantType missing");
        }
        if (grantTypes.size() > 1 || !acceptedGrantTypes.contains(grantTypes.get(0))) {
            throw new Rejected(400, "unsupported_grant_type", "header grantType was "
                    + String.join(",", grantTypes) + ", expected one of " + new TreeSet<>(acceptedGrantTypes));
        }
        checkContentType(request, JSON);
        ObjectNode json = parseJsonObject(request.body());
        String refreshToken = textField(json, "refreshToken");
        if (refreshToken == null || refreshToken.isEmpty()) {
            // the partner document's own error text
            throw new Rejected(400, "invalid_request", PARTNER_MISSING_TOKEN,
                               "JSON field refreshToken missing (fields were " + fieldNames(json) + ")");
        }
        checkUnexpected("JSON field", fieldNames(json), Set.of("refreshToken"));
        return new Grant(refreshToken, null);
    }

    private void checkRequiredHeaders(RecordedRequest request) throws Rejected {
        for (Map.Entry<String, String> required : requiredHeaders.entrySet()) {
            List<String> values = request.headers().getOrDefault(required.getKey(), List.of());
            if (values.size() != 1 || !required.getValue().equals(values.get(0))) {
                throw invalidRequest("header " + required.getKey() + " was " + (values.isEmpty() ? "missing" : values)
                                     + ", expected " + required.getValue());
            }
        }
    }

    /** The media type must match; the only parameter allowed is charset, and it must be UTF-8. */
    private static void checkContentType(RecordedRequest request, String expected) throws Rejected {
        List<String> values = request.headers().getOrDefault("content-type", List.of());
        if (values.isEmpty()) {
            throw invalidRequest("content type was missing, expected " + expected);
        }
        if (values.size() > 1) {
            throw invalidRequest("content type sent " + values.size() + " times, expected " + expected);
        }
        String[] parts = values.get(0).split(";");
        String mediaType = parts[0].trim();
        if (!mediaType.equalsIgnoreCase(expected)) {
            throw invalidRequest("content type was " + values.get(0) + ", expected " + expected);
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq).trim();
            String value = eq < 0 ? "" : param.substring(eq + 1).trim().replace("\"", "");
            if (!name.equalsIgnoreCase("charset") || !value.equalsIgnoreCase("UTF-8")) {
                throw invalidRequest("content type was " + values.get(0) + ", expected " + expected
                                     + " (optionally with charset=UTF-8)");
            }
        }
    }

    /** application/x-www-form-urlencoded; empty values count as omitted (RFC 6749 §3.1), repeats are malformed. */
    private static Map<String, String> parseForm(String source) throws Rejected {
        Map<String, String> params = new LinkedHashMap<>();
        if (source == null || source.isEmpty()) {
            return params;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String pair : source.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidRequest("form body was not valid application/x-www-form-urlencoded");
            }
            if (!seen.add(name)) {
                throw invalidRequest("parameter " + name + " was included more than once (RFC 6749 §3.2)");
            }
            if (!value.isEmpty()) {
                params.put(name, value);
            }
        }
        return params;
    }

    private static ObjectNode parseJsonObject(String body) throws Rejected {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalidRequest("body was not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw invalidRequest("body was " + (node == null || node.isMissingNode() ? "empty" : node.getNodeType())
                                 + ", expected a JSON object");
        }
        return object;
    }

    /** A string field's value; null when absent; a non-string value is malformed. */
    private static String textField(ObjectNode json, String name) throws Rejected {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalidRequest("JSON field " + name + " was " + value.getNodeType() + ", expected a string");
        }
        return value.asText();
    }

    private void checkUnexpected(String what, Set<String> present, Set<String> allowed) throws Rejected {
        Set<String> unexpected = new TreeSet<>(present);
        unexpected.removeAll(allowed);
        unexpected.removeAll(extraParameters);
        if (!unexpected.isEmpty()) {
            throw invalidRequest("unexpected " + what + (unexpected.size() > 1 ? "s " : " ") + unexpected
                                 + ", expected only " + allowed);
        }
    }

    private static Set<String> fieldNames(ObjectNode json) {
        Set<String> names = new LinkedHashSet<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Names only: query values may be secrets. */
    private static String queryNames(String query) {
        List<String> names = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            names.add(eq < 0 ? pair : pair.substring(0, eq));
        }
        return names.toString();
    }

    /** The scheme word only; the credentials after it are never put into a reason. */
    private static String scheme(String authorization) {
        int space = authorization.indexOf(' ');
        return space < 0 ? "<no scheme>" : authorization.substring(0, space);
    }

    private static Rejected invalidRequest(String reason) {
        return new Rejected(400, "invalid_request", reason);
    }

    private static Rejected invalidClient(String reason) {
        // RFC 6749 §5.2: 401 with a challenge for the authentication scheme the client should use
        return new Rejected(401, "invalid_client", reason).header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
    }

    // ---------------------------------------------------------------- token issuing

    /** Checks the refresh token and either answers a queued fault or issues tokens; atomic per refresh token. */
    private Object refresh(Grant grant) throws Rejected {
        synchronized (lock) {
            RefreshState state = refreshTokens.get(grant.refreshToken());
            if (state == RefreshState.USED && revokeFamilyOnReuse) {
                String family = familyOf.getOrDefault(grant.refreshToken(), grant.refreshToken());
                familyOf.forEach((rt, root) -> {
                    if (root.equals(family)) {
                        refreshTokens.put(rt, RefreshState.REVOKED);
                    }
                });
                refreshTokens.put(family, RefreshState.REVOKED);
                familyRevocations.incrementAndGet();
            }
            if (state != RefreshState.VALID) {
                String reason = state == null ? "refresh token unknown"
                        : state == RefreshState.USED ? "refresh token was already used (rotated away)"
                        : "refresh token was revoked";
                String description = dialect == Dialect.PARTNER ? PARTNER_INVALID_GRANT : reason;
                throw new Rejected(400, "invalid_grant", description, reason);
            }
            Fault fault = faults.pollFirst();
            if (fault != null) {
                return fault;
            }
            Instant now = clock.instant();
            Long lifetime = expiresIn;
            String accessToken = newAccessToken(now, lifetime);
            String refreshToken = null;
            if (!omitRefreshToken) {
                refreshToken = grant.refreshToken();
                if (rotate) {
                    refreshTokens.put(grant.refreshToken(), RefreshState.USED);
                    refreshToken = "rt-" + UUID.randomUUID();
                    refreshTokens.put(refreshToken, RefreshState.VALID);
                    familyOf.put(refreshToken, familyOf.getOrDefault(grant.refreshToken(), grant.refreshToken()));
                    issuedRefreshTokens.add(refreshToken);
                }
            }
            successfulRefreshes.incrementAndGet();
            return response(accessToken, refreshToken, lifetime, now, grant.scope());
        }
    }

    private String newAccessToken(Instant now, Long lifetime) {
        String accessToken = "at-" + UUID.randomUUID();
        accessTokenExpiry.put(accessToken, lifetime == null ? null : now.plusSeconds(lifetime));
        issuedAccessTokens.add(accessToken);
        return accessToken;
    }

    /** The success body in the shape the dialect's document shows. */
    private ObjectNode response(String accessToken, String refreshToken, Long lifetime, Instant now, String scope) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("access_token", accessToken);
        switch (dialect) {
            case NEWSLETTER2GO -> {
                if (lifetime != null) {
                    body.put("expires_in", lifetime);
                }
                body.put("token_type", "bearer");
                body.putNull("scope");
                if (refreshToken != null) {
                    body.put("refresh_token", refreshToken);
                }
                body.put("account_id", "awtfn5jn");
                body.put("type", "user");
            }
            case AWEBER -> {
                if (lifetime != null) {
                    body.put("expires_in", lifetime);
                    // float Unix seconds with milliseconds; a DecimalNode keeps the scale (the node factory would strip
                    // trailing zeros and turn a whole second into 1.7640072E+9)
                    body.set("expires_at", DecimalNode.valueOf(
                            BigDecimal.valueOf(now.plusSeconds(lifetime).toEpochMilli(), 3)));
                }
                body.put("token_type", "bearer");
                if (refreshToken != null) {
                    body.put("refresh_token", refreshToken);
                }
            }
            case PARTNER -> {
                if (refreshToken != null) {
                    body.put("refresh_token", refreshToken);
                }
                if (lifetime != null) {
                    body.put("expires_in", lifetime);
                }
                body.put("token_type", "Bearer");
            }
            default -> {
                body.put("token_type", "Bearer");
                if (lifetime != null) {
                    body.put("expires_in", lifetime);
                }
                if (refreshToken != null) {
                    body.put("refresh_token", refreshToken);
                }
                if (scope != null) {
                    body.put("scope", scope);
                }
            }
        }
        return body;
    }

    // ---------------------------------------------------------------- writing answers

    private static String errorBody(String error, String description) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        return body.toString();
    }

    private static void sendError(HttpExchange exchange, Rejected rejected) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(rejected.headers);
        headers.put("Cache-Control", "no-store");
        send(exchange, rejected.status, JSON, errorBody(rejected.error, rejected.description), headers);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body,
                             Map<String, String> headers) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // -1: no body at all (a zero-length fault answer, or statuses such as 204 that forbid one)
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
