package io.github.cameltokenrefresh.internal.account;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cameltokenrefresh.token.Token;

/**
 * One token refresh of an account at a time, its result shared by every caller that needs one meanwhile (the model of
 * google-auth-library-java's {@code OAuth2Credentials}: one value, one refresh task). The refresh runs outside the
 * account's lock; this slot is what keeps it single. A person's new token is saved in the same slot, exclusively: no
 * refresh runs beside it and nobody takes its result.
 */
final class SingleFlight {

    /** A refresh under way (or a person's token being saved): its result, and the epoch of the state it began from. */
    static final class Flight extends CompletableFuture<Token> {
        private static final int NOT_BEGUN = -1;
        private final boolean joinable;
        private volatile int epoch = NOT_BEGUN;

        private Flight(boolean joinable) {
            this.joinable = joinable;
        }

        /** The epoch of the state the refresh began from; -1 while it has not begun. */
        int epoch() {
            return epoch;
        }

        /** The refresh read the account's state, of this epoch. */
        void began(int stateEpoch) {
            epoch = stateEpoch;
        }

        /**
         * Whether its result is one for a caller that saw {@code callerEpoch}: it is a refresh, and it began from that
         * epoch or a later one. One not begun yet is joined; the caller looks at its epoch again once it ended.
         */
        boolean serves(int callerEpoch) {
            int began = epoch;
            return joinable && (began == NOT_BEGUN || began >= callerEpoch);
        }

        /** Waits until it ended, whatever its outcome. */
        void awaitEnd() {
            handle((token, error) -> null).join();
        }
    }

    private final AtomicReference<Flight> current = new AtomicReference<>();

    /** A refresh a caller may begin: hand it to {@link #enter}. */
    static Flight newRefresh() {
        return new Flight(true);
    }

    /**
     * The refresh a caller of {@code epoch} waits for: the one under way when it serves that epoch, else {@code mine},
     * which the caller then runs. A refresh of an earlier epoch (the account was invalidated since it began) is
     * waited out and not joined, so one token call at a time still holds.
     *
     * @param mayWait false for a background refresh: whatever is under way is returned at once, never waited for
     */
    Flight enter(Flight mine, int epoch, boolean mayWait) {
        while (true) {
            Flight running = current.get();
            if (running != null) {
                if (!mayWait || running.serves(epoch)) {
                    return running;
                }
                running.awaitEnd();
            } else if (current.compareAndSet(null, mine)) {
                return mine;
            }
        }
    }

    /** The refresh under way that a caller of {@code epoch} may take the result of, or null. */
    Flight joinable(int epoch) {
        Flight running = current.get();
        return running != null && running.serves(epoch) ? running : null;
    }

    /** Takes the slot for a person's new token once no refresh is under way; nobody joins it. */
    Flight exclusive() {
        Flight mine = new Flight(false);
        while (true) {
            Flight running = current.get();
            if (running != null) {
                running.awaitEnd();
            } else if (current.compareAndSet(null, mine)) {
                return mine;
            }
        }
    }

    /** Frees the slot, then hands the result to whoever waits. */
    void end(Flight flight, Token token, Throwable error) {
        current.compareAndSet(flight, null);
        if (error != null) {
            flight.completeExceptionally(error);
        } else {
            flight.complete(token);
        }
    }

    /** Whether nothing runs in the slot now. */
    boolean idle() {
        return current.get() == null;
    }
}
