package io.github.cameltokenrefresh.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.Token;

/**
 * Accounts written through a store's own {@code save}, so the same seeding serves the file, memory and JDBC stores;
 * each gets a refresh token the token server accepts. Several threads, because a file or database save is a round
 * trip (fsync or statement) and 10,000 of them one after another take minutes.
 */
final class SeededAccounts {

    private static final int THREADS = 8;

    private SeededAccounts() {
    }

    static String account(int i) {
        return String.format("customer-%06d", i);
    }

    /**
     * {@code n} accounts of {@code provider}, each with an access token issued at {@code issuedAt} and expiring at
     * {@code expiresAt}.
     */
    static List<String> seed(TokenStore store, String provider, int n, Instant issuedAt, Instant expiresAt,
                             StrictTokenServer tokens) throws Exception {
        List<String> accounts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            accounts.add(account(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < n; i += THREADS) {
                        String account = accounts.get(i);
                        String refreshToken = "rt-" + provider + "-" + account;
                        tokens.addRefreshToken(refreshToken);
                        store.save(provider, account, Token.builder().accessToken("at-" + provider + "-" + account)
                                .refreshToken(refreshToken).tokenType("Bearer").issuedAt(issuedAt).expiresAt(expiresAt)
                                .build(), 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return accounts;
    }
}
