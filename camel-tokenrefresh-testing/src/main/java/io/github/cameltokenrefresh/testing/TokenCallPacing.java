package io.github.cameltokenrefresh.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * When a {@link StrictTokenServer} gets to a token call, as a test arranges it: a latch that holds each call until the
 * test releases it, a fixed delay so concurrent callers overlap, and a hook that sees each call before the server
 * looks at it.
 */
final class TokenCallPacing {

    private volatile Duration responseDelay = Duration.ZERO;
    /** While set, each token call waits for a permit before it is answered: a latched endpoint. */
    private volatile Semaphore gate;
    private volatile Consumer<RecordedRequest> beforeEach = request -> {
    };

    void responseDelay(Duration delay) {
        this.responseDelay = Objects.requireNonNull(delay, "d");
    }

    void hold() {
        this.gate = new Semaphore(0);
    }

    void release(int calls) {
        Semaphore g = gate;
        if (g == null) {
            throw new IllegalStateException("holdTokenCalls() was not called");
        }
        g.release(calls);
    }

    /** Token calls waiting at the latch now. */
    int held() {
        Semaphore g = gate;
        return g == null ? 0 : g.getQueueLength();
    }

    void beforeEach(Consumer<RecordedRequest> hook) {
        this.beforeEach = hook == null ? request -> {
        } : hook;
    }

    /** Runs on the call's own thread: the latch, then the delay, then the hook. */
    void pace(RecordedRequest request) {
        Semaphore g = gate;
        try {
            if (g != null) {
                g.acquire();
            }
            Duration d = responseDelay;
            if (!d.isZero() && !d.isNegative()) {
                Thread.sleep(d.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        beforeEach.accept(request);
    }
}
