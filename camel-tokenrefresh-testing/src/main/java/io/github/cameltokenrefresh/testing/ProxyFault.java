package io.github.cameltokenrefresh.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a {@link FaultInjectingTokenProxy} does with one token call instead of relaying it: an error status, a
 * {@code Retry-After}, a hang, a connection closed or reset before or in the middle of the answer, HTML, truncated
 * JSON, an answer without {@code access_token} or with a non-positive {@code expires_in}, a huge or endless body, a
 * body that trickles in; or the call forwarded and its answer spoiled or lost on the way back. Immutable; built with
 * the static factories.
 */
public final class ProxyFault {

    enum Kind {
        RESPOND, HANG, CLOSE_BEFORE_RESPONSE, RESET_BEFORE_RESPONSE, CLOSE_MID_RESPONSE, RESET_MID_RESPONSE,
        CLOSE_MID_BODY_WITHOUT_LENGTH, ENDLESS_BODY, TRICKLE, FORWARD_THEN_MUTATE, FORWARD_THEN_DROP
    }

    final Kind kind;
    final String name;
    final int status;
    final String contentType;
    final Map<String, String> headers;
    final byte[] body;
    final Duration max;
    final Duration interval;
    final UnaryOperator<ObjectNode> mutation;
    /** Retry-After given as "seconds from now" and sent as an HTTP date computed from the proxy's clock. */
    final Duration retryAfterAsDate;

    private ProxyFault(Kind kind, String name, int status, String contentType, Map<String, String> headers, byte[] body,
                       Duration max, Duration interval, UnaryOperator<ObjectNode> mutation, Duration retryAfterAsDate) {
        this.kind = kind;
        this.name = name;
        this.status = status;
        this.contentType = contentType;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.body = body == null ? new byte[0] : body;
        this.max = max;
        this.interval = interval;
        this.mutation = mutation;
        this.retryAfterAsDate = retryAfterAsDate;
    }

    /** A fault that is only its kind: nothing to send. */
    private static ProxyFault bare(Kind kind, String name) {
        return new ProxyFault(kind, name, 0, null, null, null, null, null, null, null);
    }

    private static ProxyFault respond(String name, int status, String contentType, String body, Map<String, String> headers) {
        return new ProxyFault(Kind.RESPOND, name, status, contentType, headers,
                              body == null ? null : body.getBytes(StandardCharsets.UTF_8), null, null, null, null);
    }

    /** Any status with a body of the given content type (null: no Content-Type header). */
    public static ProxyFault status(int status, String contentType, String body) {
        return respond("HTTP " + status, status, contentType, body, Map.of());
    }

    /** A server error with a short plain-text body, as load balancers send. */
    public static ProxyFault serverError(int status) {
        return respond("HTTP " + status, status, "text/plain", "upstream error " + status, Map.of());
    }

    /** An error status with {@code Retry-After} in delta-seconds. */
    public static ProxyFault retryAfterSeconds(int status, long seconds) {
        return respond("HTTP " + status + " Retry-After " + seconds + "s", status, "application/json",
                       "{\"error\":\"temporarily_unavailable\"}", Map.of("Retry-After", Long.toString(seconds)));
    }

    /** An error status with a raw {@code Retry-After} value, however odd. */
    public static ProxyFault retryAfterRaw(int status, String value) {
        return respond("HTTP " + status + " Retry-After '" + value + "'", status, "text/plain", "slow down",
                       Map.of("Retry-After", value));
    }

    /** An error status with {@code Retry-After} as an HTTP date this far after the proxy clock's now. */
    public static ProxyFault retryAfterDate(int status, Duration fromNow) {
        return new ProxyFault(Kind.RESPOND, "HTTP " + status + " Retry-After date +" + fromNow.toSeconds() + "s", status,
                              "text/plain", Map.of(), "slow down".getBytes(StandardCharsets.UTF_8), null, null, null,
                         fromNow);
    }

    /** 200 with an HTML page: a captive portal or a proxy's login page. */
    public static ProxyFault html(int status) {
        return respond("HTML " + status, status, "text/html; charset=UTF-8",
                       "<!DOCTYPE html><html><head><title>Sign in</title></head><body>proxy login</body></html>",
                       Map.of());
    }

    /** 200 application/json whose body stops in the middle (the length header matches what is sent). */
    public static ProxyFault truncatedJson(String accessTokenInBody) {
        String full = "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
        return respond("truncated JSON", 200, "application/json", full.substring(0, full.length() - 20), Map.of());
    }

    /**
     * 200 application/json with everything but access_token (and no refresh_token: a server that did not rotate;
     * see {@link #forwardThenMutate} for one that did).
     */
    public static ProxyFault withoutAccessToken() {
        return respond("no access_token", 200, "application/json",
                       "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"read\"}", Map.of());
    }

    /** 200 application/json with a token whose expires_in is the given value (0 or negative: a lying server). */
    public static ProxyFault expiresIn(String expiresIn, String accessTokenInBody) {
        return respond("expires_in " + expiresIn, 200, "application/json",
                       "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                                                                    + expiresIn + "}",
                       Map.of());
    }

    /** 200 application/json of this many bytes, with a Content-Length: a valid token padded with whitespace. */
    public static ProxyFault hugeBody(int bytes, String accessTokenInBody) {
        String token = "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":3600";
        byte[] body = new byte[Math.max(bytes, token.length() + 1)];
        Arrays.fill(body, (byte) ' ');
        byte[] head = token.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, body, 0, head.length);
        body[body.length - 1] = '}';
        return new ProxyFault(Kind.RESPOND, "huge body " + bytes + " bytes", 200, "application/json", Map.of(), body, null,
                              null, null, null);
    }

    /** Reads the request and answers nothing until the client gives up (or {@code max} passes). */
    public static ProxyFault hang(Duration max) {
        return new ProxyFault(Kind.HANG, "hang", 0, null, null, null, max, null, null, null);
    }

    /** Reads the request, then closes the connection without a byte of answer (FIN). */
    public static ProxyFault closeBeforeResponse() {
        return bare(Kind.CLOSE_BEFORE_RESPONSE, "close before response");
    }

    /** Reads the request, then resets the connection (RST). */
    public static ProxyFault resetBeforeResponse() {
        return bare(Kind.RESET_BEFORE_RESPONSE, "reset before response");
    }

    /** Sends 200, a Content-Length and half of a valid token body, then closes (FIN). */
    public static ProxyFault closeMidResponse(String accessTokenInBody) {
        return midResponse(Kind.CLOSE_MID_RESPONSE, "close mid-response", accessTokenInBody);
    }

    /** Sends 200, a Content-Length and half of a valid token body, then resets (RST). */
    public static ProxyFault resetMidResponse(String accessTokenInBody) {
        return midResponse(Kind.RESET_MID_RESPONSE, "reset mid-response", accessTokenInBody);
    }

    /** HTTP/1.1 200 with Connection: close and no length: half a token body, then the connection ends. */
    public static ProxyFault closeMidBodyWithoutLength(String accessTokenInBody) {
        return midResponse(Kind.CLOSE_MID_BODY_WITHOUT_LENGTH, "close mid-body without length", accessTokenInBody);
    }

    private static ProxyFault midResponse(Kind kind, String name, String accessTokenInBody) {
        String body = "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
        return new ProxyFault(kind, name, 200, "application/json", Map.of(), body.getBytes(StandardCharsets.UTF_8), null,
                              null, null, null);
    }

    /** 200 application/json, chunked, 64 KiB every {@code interval}, never ending until {@code max} or the client leaves. */
    public static ProxyFault endlessBody(Duration interval, Duration max) {
        return new ProxyFault(Kind.ENDLESS_BODY, "endless body", 200, "application/json", null, null, max, interval, null,
                              null);
    }

    /** 200 with a valid token body sent one byte every {@code interval}: each read is quick, the whole is not. */
    public static ProxyFault trickle(Duration interval, Duration max, String accessTokenInBody) {
        String body = "{\"access_token\":\"" + accessTokenInBody + "\",\"token_type\":\"Bearer\",\"expires_in\":3600"
                      + " ".repeat(200) + "}";
        return new ProxyFault(Kind.TRICKLE, "trickle", 200, "application/json", null, body.getBytes(StandardCharsets.UTF_8),
                              max, interval, null, null);
    }

    /** Forwards the call (the upstream refreshes, and rotates), then rewrites its JSON answer. */
    public static ProxyFault forwardThenMutate(String name, UnaryOperator<ObjectNode> mutation) {
        return new ProxyFault(Kind.FORWARD_THEN_MUTATE, name, 0, null, null, null, null, null, mutation, null);
    }

    /** Forwards the call (the upstream refreshes, and rotates), then closes without relaying the answer. */
    public static ProxyFault forwardThenDrop() {
        return bare(Kind.FORWARD_THEN_DROP, "forward then drop");
    }

    /** Whether the call reaches the upstream server (which then refreshes, and rotates). */
    boolean forwards() {
        return kind == Kind.FORWARD_THEN_MUTATE || kind == Kind.FORWARD_THEN_DROP;
    }

    @Override
    public String toString() {
        return name;
    }
}
