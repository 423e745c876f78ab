package io.github.cameltokenrefresh.internal.observe;

import java.time.Instant;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.TokenState;

/** One provider's accounts added up in one pass: what the JMX attributes show. */
record ProviderSummary(int accounts, long dead, long failing, long tokenCalls, long refreshes, long failures,
                       long adoptedRefreshes, long leaseWaits, long interruptedLeases, Instant earliestExpiry,
                       String lastErrorType, long takenAtMillis, long changes) {

    static ProviderSummary of(Provider provider) {
        long changes = provider.changes();
        long[] counts = new long[8];
        Instant[] earliest = new Instant[1];
        AccountStatus[] lastFailed = new AccountStatus[1];
        int[] accounts = new int[1];
        provider.forEachStatus(s -> {
            accounts[0]++;
            counts[0] += s.state() == TokenState.DEAD ? 1 : 0;
            counts[1] += s.state() == TokenState.FAILING ? 1 : 0;
            counts[2] += s.tokenCalls();
            counts[3] += s.refreshes();
            counts[4] += s.failures();
            counts[5] += s.adoptedRefreshes();
            counts[6] += s.leaseWaits();
            counts[7] += s.interruptedLeases();
            if (s.expiresAt() != null && (earliest[0] == null || s.expiresAt().isBefore(earliest[0]))) {
                earliest[0] = s.expiresAt();
            }
            if (s.lastFailureAt() != null
                && (lastFailed[0] == null || s.lastFailureAt().isAfter(lastFailed[0].lastFailureAt()))) {
                lastFailed[0] = s;
            }
        });
        return new ProviderSummary(accounts[0], counts[0], counts[1], counts[2], counts[3], counts[4], counts[5],
                                   counts[6], counts[7], earliest[0],
                                   lastFailed[0] == null ? null : lastFailed[0].lastErrorType(),
                                   provider.clock().millis(), changes);
    }
}
