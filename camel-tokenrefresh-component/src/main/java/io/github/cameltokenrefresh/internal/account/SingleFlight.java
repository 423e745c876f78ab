package io.github.cameltokenrefresh.internal.account;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.RuntimeCamelException;

/**
 * One token refresh of an account at a time, its result shared by every caller that needs one meanwhile (the model of
 * google-auth-library-java's {@code OAuth2Credentials}: one value, one refresh task). The refresh runs outside the
 * account's lock; this slot is what keeps it single. A person's new token is saved in the same slot, exclusively: no
 * refresh runs beside it and nobody takes its result.
 * <p>
 * A refresh belongs to the epoch of the state it began from. A caller that saw a later epoch (the account was
 * invalidated since) does not take its result: it waits for it to end and then refreshes, so one token call at a time
 * still holds.
 */
final class SingleFlight {

    /** A refresh under way (or a person's token being saved): its result, and the epoch of the state it began from. */
    static final class Flight extends CompletableFuture<Token> {
        private static final int NOT_BEGUN = -1;
        private final boolean joinable;
        private volatile int epoch = NOT_BEGUN;
        /** The refresh the callers of a later epoch share once this one ended. */
        private final AtomicReference<Flight> successor = new AtomicReference<>();

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

    /** Marks the successor of a refresh that ended: none may be added any more. */
    private static final Flight ENDED = new Flight(false);

    private final AtomicReference<Flight> current = new AtomicReference<>();

    /**
     * Runs or joins the refresh for a caller that saw {@code epoch}, and (unless in the background) waits for it.
     *
     * @param background run a new refresh on {@code executor} and return null at once, without waiting for any
     * @param refresh    the refresh itself, run when no refresh this caller may join is under way
     * @return the token, or null in the background, or when the state changed meanwhile and the caller decides again
     */
    Token refresh(int epoch, boolean background, Executor executor, Function<Flight, Token> refresh) {
        Flight mine = new Flight(true);
        Flight flight = enter(mine, epoch, !background);
        if (flight == mine) {
            run(mine, background ? executor : null, refresh);
        }
        if (background) {
            return null;
        }
        try {
            Token token = await(flight);
            if (flight.epoch() >= epoch) {
                return token;
            }
        } catch (RuntimeException | Error e) {
            // not done: interrupted while waiting
            if (flight.epoch() >= epoch || !flight.isDone()) {
                throw e;
            }
        }
        // joined before it began, and it began before an invalidate this caller saw: the caller decides again
        return null;
    }

    /**
     * The refresh a caller of {@code epoch} waits for: the one under way when it serves that epoch, else {@code mine}.
     * A refresh of an earlier epoch is not joined: the callers of the later epoch share the one that follows it, which
     * the first of them runs once it ended.
     *
     * @param mayWait false for a background refresh: whatever is under way is returned at once, never waited for
     */
    private Flight enter(Flight mine, int epoch, boolean mayWait) {
        while (true) {
            Flight running = current.get();
            if (running == null) {
                if (current.compareAndSet(null, mine)) {
                    return mine;
                }
            } else if (!mayWait || running.serves(epoch)) {
                return running;
            } else {
                Flight next = running.successor.compareAndExchange(null, mine);
                if (next == null) {
                    running.awaitEnd(); // its end hands the slot to mine
                    return mine;
                }
                if (next != ENDED) {
                    return next;
                }
                // it ended just now: look again
            }
        }
    }

    /** Takes the slot for {@code mine} once nothing else runs in it. */
    private void claim(Flight mine) {
        while (true) {
            Flight running = current.get();
            if (running != null) {
                running.awaitEnd();
            } else if (current.compareAndSet(null, mine)) {
                return;
            }
        }
    }

    /** @param executor null to run on the caller's thread */
    private void run(Flight mine, Executor executor, Function<Flight, Token> refresh) {
        Runnable task = () -> {
            try {
                end(mine, refresh.apply(mine), null);
            } catch (Throwable e) {
                end(mine, null, e);
            }
        };
        if (executor == null) {
            task.run();
            return;
        }
        try {
            executor.execute(task);
        } catch (RuntimeException rejected) {
            // the pool is stopping (its queue has no bound): the caller, served the still-valid token, never runs
            // someone else's refresh; the next caller in the window starts one again
            end(mine, null, rejected);
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
        claim(mine);
        return mine;
    }

    /** Frees the slot (or hands it to the refresh the later epoch's callers wait for), then hands out the result. */
    void end(Flight flight, Token token, Throwable error) {
        Flight next = flight.successor.compareAndExchange(null, ENDED);
        current.compareAndSet(flight, next);
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

    /** The result of a refresh, waited for; its failure rethrown as it was. */
    static Token await(Flight flight) {
        try {
            return flight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeCamelException("interrupted while waiting for a token refresh", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new RuntimeCamelException(cause);
        }
    }
}
