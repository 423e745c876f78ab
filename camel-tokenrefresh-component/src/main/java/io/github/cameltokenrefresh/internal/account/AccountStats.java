package io.github.cameltokenrefresh.internal.account;

import java.time.Instant;

/**
 * Counts and times of one account for monitoring. They decide nothing, so they live beside the state rather than in
 * it. Written by the one refresh under way only (the single flight), hence plain volatile fields (an AtomicLong each
 * would cost 70 bytes per account).
 */
final class AccountStats {

    volatile long tokenCalls;
    volatile long refreshes;
    volatile long failures;
    volatile Instant lastRefreshAt;
    volatile Instant lastFailureAt;
    volatile long adoptedRefreshes;
    volatile long leaseWaits;
    volatile long interruptedLeases;
    /** The error type of the last failure, cleared by the next success. */
    volatile String lastErrorType;
}
