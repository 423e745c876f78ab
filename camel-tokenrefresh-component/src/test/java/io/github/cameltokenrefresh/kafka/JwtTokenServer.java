package io.github.cameltokenrefresh.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An authorization server for the Kafka test, as small as the broker's validation allows: RS256 JWT access tokens
 * (RFC 9068 claims: iss, sub, aud, exp, iat, jti, scope) of a short lifetime, its JWKS (RFC 7517) for the broker's
 * {@code OAuthBearerValidatorCallbackHandler}, and a token endpoint (RFC 6749 section 6) that accepts only the
 * refresh_token grant from one client authenticated with HTTP Basic, rotating the refresh token on every use (a used
 * one is refused with invalid_grant).
 */
final class JwtTokenServer implements AutoCloseable {

    static final String AUDIENCE = "kafka-broker";
    static final String SCOPE = "kafka";

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final HttpServer server;
    private final KeyPair keys;
    private final String clientId;
    private final String clientSecret;
    private final Duration lifetime;
    private final Set<String> validRefreshTokens = ConcurrentHashMap.newKeySet();
    private final List<String> issuedAccessTokens = new CopyOnWriteArrayList<>();
    private final List<String> issuedRefreshTokens = new CopyOnWriteArrayList<>();

    private JwtTokenServer(String clientId, String clientSecret, Duration lifetime) throws IOException,
                                                                                         GeneralSecurityException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.lifetime = lifetime;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.keys = generator.generateKeyPair();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", this::jwks);
        server.createContext("/token", this::token);
        server.start();
    }

    static JwtTokenServer start(String clientId, String clientSecret, Duration lifetime) {
        try {
            return new JwtTokenServer(clientId, clientSecret, lifetime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String issuer() {
        return baseUrl() + "/realms/kafka";
    }

    String tokenUrl() {
        return baseUrl() + "/token";
    }

    String jwksUrl() {
        return baseUrl() + "/jwks";
    }

    /** A refresh token for the account, as onboarding would have obtained it. */
    String issueRefreshToken() {
        String refreshToken = "rt-" + UUID.randomUUID();
        validRefreshTokens.add(refreshToken);
        issuedRefreshTokens.add(refreshToken);
        return refreshToken;
    }

    /** Every access token issued, in order: one token call each. */
    List<String> issuedAccessTokens() {
        return List.copyOf(issuedAccessTokens);
    }

    List<String> issuedRefreshTokens() {
        return List.copyOf(issuedRefreshTokens);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        answer(exchange, 200, "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"it-key\",\"n\":\""
                              + unsigned(key.getModulus()) + "\",\"e\":\"" + unsigned(key.getPublicExponent())
                              + "\"}]}");
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes[0] == 0 && bytes.length > 1 ? 1 : 0;
        return URL.encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "{\"error\":\"invalid_request\"}");
            return;
        }
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"refresh_token".equals(form.get("grant_type"))) {
            answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String presented = form.get("refresh_token");
        if (presented == null || !validRefreshTokens.remove(presented)) {
            answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String accessToken = jwt(Instant.now());
        issuedAccessTokens.add(accessToken);
        answer(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                              + lifetime.toSeconds() + ",\"refresh_token\":\"" + issueRefreshToken() + "\",\"scope\":\""
                              + SCOPE + "\"}");
    }

    private String jwt(Instant now) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"it-key\"}";
        String claims = "{\"iss\":\"" + issuer() + "\",\"sub\":\"service-account-orders\",\"aud\":\"" + AUDIENCE
                        + "\",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(lifetime).getEpochSecond()
                        + ",\"jti\":\"" + UUID.randomUUID() + "\",\"scope\":\"" + SCOPE + "\"}";
        String signingInput = URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                              + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                         URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
