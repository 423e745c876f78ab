package io.github.cameltokenrefresh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * A token endpoint that accepts only what RFC 7523 §3 (client assertions and the JWT bearer grant) and RFC 8705 §2
 * (a TLS client certificate) accept, refusing everything else as the RFCs say (invalid_client, invalid_grant): the JWT
 * verified with the registered key, iss, sub, aud (the token endpoint), exp in the future and at most 5 minutes
 * away, a jti never seen before. Its tokens are bound to the client's certificate ({@code cnf.x5t#S256}) when it came
 * over TLS; DPoP is {@link StrictDpop}'s. Verification is Nimbus's, independent of the component's signing code.
 */
final class StrictSigningTokenServer implements AutoCloseable {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final HttpServer server;
    private final Map<String, Object> clientKeys = new ConcurrentHashMap<>();
    private final Set<String> seenJtis = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> accepted = new CopyOnWriteArrayList<>();
    /** The access tokens issued, with the certificate thumbprint each is bound to (empty when none). */
    final Map<String, String> certificateBindings = new ConcurrentHashMap<>();
    /** Null without DPoP. */
    volatile StrictDpop dpop;
    volatile String jwtBearerIssuer;
    volatile PublicKey jwtBearerKey;

    private StrictSigningTokenServer(HttpServer server) {
        this.server = server;
        server.createContext("/token", this::token);
        server.start();
    }

    static StrictSigningTokenServer http() throws IOException {
        return new StrictSigningTokenServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    /** HTTPS that requires a client certificate (RFC 8705 §2): no certificate, no TLS session. */
    static StrictSigningTokenServer mutualTls(SSLContext ssl) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = ssl.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        return new StrictSigningTokenServer(https);
    }

    HttpServer server() {
        return server;
    }

    String tokenUrl() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** A client registered with its public key (private_key_jwt), secret bytes (client_secret_jwt) or nothing (mTLS). */
    void register(String clientId, Object key) {
        clientKeys.put(clientId, key);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            answerToken(exchange);
        }
    }

    private void answerToken(HttpExchange exchange) throws IOException {
        try {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (dpop != null && !dpop.tokenRequest(exchange, URI.create(tokenUrl()))) {
                return; // StrictDpop answered
            }
            String clientId = authenticate(exchange, form);
            if (clientId == null) {
                answer(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String grantType = form.get("grant_type");
            if (JWT_BEARER.equals(grantType)) {
                if (!jwtBearer(form)) {
                    answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
                    return;
                }
            } else if (!"refresh_token".equals(grantType) || form.get("refresh_token") == null) {
                refusals.add("unsupported grant " + grantType);
                answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            accepted.add(form);
            String accessToken = "at-" + issued.incrementAndGet();
            certificateBindings.put(accessToken, exchange instanceof HttpsExchange tls ? thumbprint(tls.getSSLSession()) : "");
            String type = dpop != null ? "DPoP" : "Bearer";
            if (dpop != null) {
                dpop.bind(accessToken);
            }
            String refresh = JWT_BEARER.equals(grantType) ? "" : ",\"refresh_token\":\"rt-" + issued.get() + "\"";
            answer(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"" + type
                                  + "\",\"expires_in\":300" + refresh + "}");
        } catch (Exception e) {
            refusals.add("server failure " + e);
            answer(exchange, 500, "{\"error\":\"server_error\"}");
        }
    }

    /** The client the request authenticates, or null: RFC 7523 §3 for assertions, RFC 8705 §2 for certificates. */
    private String authenticate(HttpExchange exchange, Map<String, String> form) throws Exception {
        String clientId = form.get("client_id");
        if (form.containsKey("client_assertion")) {
            if (!ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
                return refuse("client_assertion_type " + form.get("client_assertion_type"));
            }
            SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
            String issuer = jwt.getJWTClaimsSet().getIssuer();
            Object key = issuer == null ? null : clientKeys.get(issuer);
            if (key == null || !verifies(jwt, key)) {
                return refuse("client assertion signature or unknown issuer " + issuer);
            }
            if (!issuer.equals(jwt.getJWTClaimsSet().getSubject()) || clientId != null && !clientId.equals(issuer)) {
                return refuse("client assertion iss, sub and client_id differ");
            }
            return validClaims(jwt.getJWTClaimsSet(), "client assertion") ? issuer : null;
        }
        if (exchange instanceof HttpsExchange tls && clientId != null && clientKeys.containsKey(clientId)
            && clientKeys.get(clientId).equals(thumbprint(tls.getSSLSession()))) {
            return clientId; // the registered certificate (self_signed_tls_client_auth, RFC 8705 §2.2)
        }
        return refuse("no client authentication this server accepts (client_id " + clientId + ")");
    }

    private boolean jwtBearer(Map<String, String> form) throws Exception {
        SignedJWT jwt = SignedJWT.parse(form.get("assertion"));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        if (!verifies(jwt, jwtBearerKey) || !claims.getIssuer().equals(jwtBearerIssuer)
            || claims.getSubject() == null) {
            return refuse("JWT bearer assertion signature, iss or sub") != null;
        }
        return validClaims(claims, "JWT bearer assertion");
    }

    private boolean validClaims(JWTClaimsSet claims, String what) {
        Date exp = claims.getExpirationTime();
        Instant now = Instant.now();
        if (claims.getAudience() == null || !claims.getAudience().contains(tokenUrl())) {
            return refuse(what + " aud " + claims.getAudience()) != null;
        }
        if (exp == null || !exp.toInstant().isAfter(now) || exp.toInstant().isAfter(now.plusSeconds(300))) {
            return refuse(what + " exp " + exp) != null;
        }
        if (claims.getJWTID() == null || !seenJtis.add(claims.getJWTID())) {
            return refuse(what + " jti missing or replayed") != null;
        }
        return true;
    }

    private String refuse(String why) {
        refusals.add(why);
        return null;
    }

    /** False for a signature this key does not verify, of whatever algorithm. */
    private static boolean verifies(SignedJWT jwt, Object key) {
        try {
            return jwt.verify(verifier(key));
        } catch (Exception e) {
            return false;
        }
    }

    static JWSVerifier verifier(Object key) throws Exception {
        if (key instanceof RSAPublicKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECPublicKey ec) {
            return new ECDSAVerifier(ec);
        }
        return new MACVerifier((byte[]) key);
    }

    static String thumbprint(SSLSession session) {
        try {
            return X509CertUtils.computeSHA256Thumbprint((X509Certificate) session.getPeerCertificates()[0]).toString();
        } catch (SSLPeerUnverifiedException e) {
            return "";
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                         URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
