package io.github.cameltokenrefresh.testing;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The authorization endpoint of a {@link StrictTokenServer} (RFC 6749 §4.1 with PKCE, RFC 7636) and the code side of
 * its token endpoint. {@code GET /authorize} checks the request, simulates the user's consent at once and redirects
 * to the registered redirect URI with a code (or, after {@link #denyNext()}, with error=access_denied). The token
 * endpoint redeems a code once, within its lifetime, for the same client and redirect URI, with the verifier of its
 * challenge. Everything else is refused, with a reason in {@link StrictTokenServer#rejections()}.
 */
public final class AuthorizationEndpoint {

    public static final String PATH = "/authorize";
    public static final String GRANT_TYPE = "authorization_code";

    private static final Set<String> AUTHORIZE_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri",
            "scope", "state", "code_challenge", "code_challenge_method");

    /** A refused request: before the redirect URI is trusted it is a page, after it a redirect with the error. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;

        Refusal(int status, String error, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    private record Pending(String clientId, String redirectUri, String challenge, String scope, Instant expiresAt) {
    }

    private final Supplier<String> clientId;
    private final Supplier<Clock> clock;
    private final Map<String, Pending> codes = new LinkedHashMap<>(); // guarded by this
    private final Set<String> redeemed = new LinkedHashSet<>(); // guarded by this
    private final ConcurrentLinkedQueue<String> issuedCodes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger redemptions = new AtomicInteger();
    private volatile String redirectUri;
    private volatile Duration codeLifetime = Duration.ofMinutes(1);
    private volatile boolean requirePkce = true;
    private volatile boolean denyNext;

    AuthorizationEndpoint(Supplier<String> clientId, Supplier<Clock> clock) {
        this.clientId = clientId;
        this.clock = clock;
    }

    /** The one redirect URI registered for the client; compared as a simple string (RFC 6749 §3.1.2.3). */
    public AuthorizationEndpoint redirectUri(String uri) {
        this.redirectUri = uri;
        return this;
    }

    public AuthorizationEndpoint codeLifetime(Duration lifetime) {
        this.codeLifetime = lifetime;
        return this;
    }

    /** Whether an authorization request without a PKCE challenge is refused (default true). */
    public AuthorizationEndpoint requirePkce(boolean require) {
        this.requirePkce = require;
        return this;
    }

    /** The next authorization request is answered as if the user clicked "deny". */
    public AuthorizationEndpoint denyNext() {
        this.denyNext = true;
        return this;
    }

    /** Codes issued so far, in order. */
    public List<String> issuedCodes() {
        return List.copyOf(issuedCodes);
    }

    /** Codes exchanged for tokens. */
    public int redemptions() {
        return redemptions.get();
    }

    /** {@code GET /authorize} over HTTP: the redirect back to the client, or a page naming the refusal. */
    HttpAnswer answer(StrictTokenServer.RecordedRequest request) {
        try {
            return HttpAnswer.of(302, null, "", Map.of("Location", authorize(request.method(), request.query()),
                                                       "Cache-Control", "no-store"));
        } catch (Refusal refusal) {
            return new HttpAnswer(refusal.status, "text/plain; charset=utf-8", refusal.error + ": " + refusal.getMessage(),
                                  Map.of(), refusal.getMessage());
        }
    }

    /**
     * Answers {@code GET /authorize}.
     *
     * @return the Location of the redirect back to the client
     */
    String authorize(String method, String query) throws Refusal {
        if (!"GET".equals(method)) {
            throw new Refusal(405, "invalid_request", "authorization request method was " + method + ", expected GET");
        }
        Map<String, String> params = parse(query);
        Set<String> unexpected = new LinkedHashSet<>(params.keySet());
        unexpected.removeAll(AUTHORIZE_PARAMETERS);
        if (!unexpected.isEmpty()) {
            throw new Refusal(400, "invalid_request", "unexpected authorization parameters " + unexpected);
        }
        // RFC 6749 §4.1.2.1: with an unknown client or redirect URI, never redirect
        if (!clientId.get().equals(params.get("client_id"))) {
            throw new Refusal(400, "unauthorized_client", "client_id unknown or missing");
        }
        String registered = redirectUri;
        if (registered == null || !registered.equals(params.get("redirect_uri"))) {
            throw new Refusal(400, "invalid_request", "redirect_uri missing or not the registered one");
        }
        String state = params.get("state");
        String error = null;
        if (!"code".equals(params.get("response_type"))) {
            error = "unsupported_response_type";
        } else if (state == null) {
            error = "invalid_request"; // the strict server insists: a client without state has no CSRF protection
        } else if (params.containsKey("code_challenge")
                   ? !"S256".equals(params.get("code_challenge_method"))
                     || !params.get("code_challenge").matches("[A-Za-z0-9._~-]{43,128}")
                   : requirePkce || params.containsKey("code_challenge_method")) {
            error = "invalid_request";
        } else if (denyNext) {
            denyNext = false;
            error = "access_denied";
        }
        if (error != null) {
            return registered + "?error=" + error + (state == null ? "" : "&state=" + encode(state));
        }
        String code = "code-" + UUID.randomUUID();
        synchronized (this) {
            codes.put(code, new Pending(params.get("client_id"), registered, params.get("code_challenge"),
                                        params.get("scope"), clock.get().instant().plus(codeLifetime)));
        }
        issuedCodes.add(code);
        return registered + "?code=" + encode(code) + "&state=" + encode(state);
    }

    /**
     * Checks the form fields of an authorization_code token request (the client is already authenticated) and spends
     * the code.
     *
     * @param clientFields the client authentication fields allowed in the body, if any
     * @return the scope the code was issued for, or null
     */
    String redeem(Map<String, String> form, String authenticatedClient, Set<String> clientFields) throws Refusal {
        Set<String> unexpected = new LinkedHashSet<>(form.keySet());
        unexpected.removeAll(Set.of("grant_type", "code", "redirect_uri", "code_verifier"));
        unexpected.removeAll(clientFields);
        if (!unexpected.isEmpty()) {
            throw new Refusal(400, "invalid_request", "unexpected form fields " + unexpected);
        }
        String code = form.get("code");
        if (code == null) {
            throw new Refusal(400, "invalid_request", "form field code missing");
        }
        Pending pending;
        synchronized (this) {
            if (redeemed.contains(code)) {
                throw new Refusal(400, "invalid_grant", "code was already used");
            }
            pending = codes.remove(code);
            if (pending == null) {
                throw new Refusal(400, "invalid_grant", "code unknown");
            }
            redeemed.add(code); // spent whatever follows: a code is tried once (RFC 6749 §4.1.2)
        }
        if (!clock.get().instant().isBefore(pending.expiresAt())) {
            throw new Refusal(400, "invalid_grant", "code expired");
        }
        if (!pending.clientId().equals(authenticatedClient)) {
            throw new Refusal(400, "invalid_grant", "code was issued to another client");
        }
        if (!pending.redirectUri().equals(form.get("redirect_uri"))) {
            throw new Refusal(400, "invalid_grant", "redirect_uri missing or not the one of the authorization request");
        }
        String verifier = form.get("code_verifier");
        if (pending.challenge() != null) {
            if (verifier == null) {
                throw new Refusal(400, "invalid_grant", "code_verifier missing (the authorization request had a challenge)");
            }
            if (!verifier.matches("[A-Za-z0-9._~-]{43,128}") || !pending.challenge().equals(s256(verifier))) {
                throw new Refusal(400, "invalid_grant", "code_verifier does not match the code_challenge");
            }
        } else if (verifier != null) {
            throw new Refusal(400, "invalid_request", "code_verifier sent, but the authorization request had no challenge");
        }
        redemptions.incrementAndGet();
        return pending.scope();
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String query) throws Refusal {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.put(name, value) != null) {
                throw new Refusal(400, "invalid_request", "parameter " + name + " repeated (RFC 6749 §3.1)");
            }
        }
        return params;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
