package io.github.cameltokenrefresh.internal.account;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import io.github.cameltokenrefresh.testing.MutableClock;

/**
 * A token endpoint in memory: answers from a script, in order, and records every request it received. A call with no
 * answer left fails the test (it throws an AssertionError, which the core records as an unexpected failure and the
 * test sees as a request it did not script).
 */
final class ScriptedTokenClient implements TokenClient {

    /** One scripted answer. */
    @FunctionalInterface
    interface Answer {
        TokenResponse answer(TokenRequest request) throws IOException;
    }

    /** A call held in flight until the test releases it. */
    static final class Hold {
        final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void awaitEntered() throws InterruptedException {
            if (!entered.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the held token call never arrived");
            }
        }

        void release() {
            released.countDown();
        }
    }

    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Map<String, String>> received = new ArrayList<>();
    private final Map<Integer, Hold> holds = new LinkedHashMap<>();
    private final List<String> journal;

    /** @param journal shared with the store double, so tests can assert the order of token calls and saves */
    ScriptedTokenClient(List<String> journal) {
        this.journal = journal;
    }

    // ------------------------------------------------------------------ answers

    static Answer ok(String accessToken, String refreshToken, long expiresIn) {
        return json(200, "{\"access_token\":\"" + accessToken + "\",\"refresh_token\":\"" + refreshToken
                         + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}");
    }

    /** A 200 answer without a refresh token: RFC 6749 §6 lets the client keep the one it sent. */
    static Answer okKeepingRefreshToken(String accessToken, long expiresIn) {
        return json(200, "{\"access_token\":\"" + accessToken + "\",\"expires_in\":" + expiresIn
                         + ",\"token_type\":\"Bearer\"}");
    }

    static Answer invalidGrant() {
        return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}");
    }

    static Answer unavailable(String retryAfterSeconds) {
        return request -> new TokenResponse(503, "application/json", retryAfterSeconds, null,
                                            "{\"error\":\"temporarily_unavailable\"}".getBytes(StandardCharsets.UTF_8));
    }

    static Answer connectionRefused() {
        return request -> {
            throw new IOException("Connection refused");
        };
    }

    /** A 200 the parser refuses (no access_token), which still carries a rotated refresh token. */
    static Answer unusableWithRefreshToken(String refreshToken) {
        return json(200, "{\"refresh_token\":\"" + refreshToken + "\",\"token_type\":\"Bearer\"}");
    }

    /** An answer that takes {@code duration} of the test's clock to arrive. */
    static Answer slow(Duration duration, MutableClock clock, Answer answer) {
        return request -> {
            clock.advance(duration);
            return answer.answer(request);
        };
    }

    static Answer json(int status, String body) {
        return request -> new TokenResponse(status, "application/json", null, null,
                                            body.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ scripting

    synchronized ScriptedTokenClient then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** Holds the {@code callNumber}-th call (1-based, counting all calls so far) until {@link Hold#release()}. */
    synchronized Hold hold(int callNumber) {
        Hold hold = new Hold();
        holds.put(callNumber, hold);
        return hold;
    }

    @Override
    public TokenResponse send(TokenRequest request) throws IOException {
        Answer answer;
        Hold hold;
        synchronized (this) {
            Map<String, String> form = form(request);
            received.add(form);
            journal.add("send " + form.getOrDefault("refresh_token", form.get("grant_type")));
            answer = script.poll();
            hold = holds.remove(received.size());
        }
        if (hold != null) {
            hold.entered.countDown();
            try {
                if (!hold.released.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the held token call was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        if (answer == null) {
            throw new AssertionError("unscripted token call #" + calls());
        }
        return answer.answer(request);
    }

    // ------------------------------------------------------------------ what was received

    synchronized int calls() {
        return received.size();
    }

    /** The form parameters of the {@code n}-th call (1-based). */
    synchronized Map<String, String> request(int n) {
        return received.get(n - 1);
    }

    /** The refresh token each call sent, or its grant type for other grants. */
    synchronized List<String> sentRefreshTokens() {
        List<String> sent = new ArrayList<>();
        received.forEach(f -> sent.add(f.getOrDefault("refresh_token", "grant:" + f.get("grant_type"))));
        return sent;
    }

    synchronized int unansweredScript() {
        return script.size();
    }

    private static Map<String, String> form(TokenRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        if (request.body() == null) {
            return form;
        }
        for (String pair : new String(request.body(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                     URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
