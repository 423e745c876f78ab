package io.github.cameltokenrefresh.testing;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw answers a {@link StrictTokenServer} gives, in place of tokens, to its next well-formed token calls that
 * carry a valid refresh token ({@link StrictTokenServer#failNext}). The refresh token is then not consumed.
 */
final class ScriptedTokenFailures {

    /** One scripted answer; {@code headers} include Content-Type when one was given. */
    record Failure(int status, String body, Map<String, String> headers) {
    }

    private final Deque<Failure> pending = new ArrayDeque<>(); // guarded by this

    /** Replaces whatever is still pending, so {@code times == 0} heals the server. */
    void failNext(int times, int status, String contentType, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders == null ? Map.of() : extraHeaders);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        Failure failure = new Failure(status, body == null ? "" : body, Collections.unmodifiableMap(headers));
        synchronized (this) {
            pending.clear();
            for (int i = 0; i < times; i++) {
                pending.addLast(failure);
            }
        }
    }

    synchronized void clear() {
        pending.clear();
    }

    synchronized int pending() {
        return pending.size();
    }

    /** The next scripted answer, taken off the script; null when the call is to be answered normally. */
    synchronized Failure next() {
        return pending.pollFirst();
    }
}
