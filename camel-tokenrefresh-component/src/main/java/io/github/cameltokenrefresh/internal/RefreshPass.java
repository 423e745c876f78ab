package io.github.cameltokenrefresh.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.token.TokenRefreshException;

/**
 * One scheduled or start-up pass over a provider's due accounts: each account's refresh runs on the provider's
 * refresh pool, so as many run at once as the pool allows, in the order given (soonest expiry first); the pass waits
 * for all of them and says what happened to each.
 */
final class RefreshPass {

    /** What the pass did: refreshed accounts in order, failed ones with their error type and message. */
    record Outcome(List<String> refreshed, Map<String, String> failed, Map<String, String> messages) {
    }

    private RefreshPass() {
    }

    /**
     * @param keepAliveAge also refresh an account whose token is older than this; zero when off
     * @param rateLimit    with a limit, the pass waits for each account's permit here, on its own thread, before
     *                     handing the account to the pool: pool threads never wait for one
     */
    static Outcome run(List<String> due, Function<String, AccountTokenCache> accounts, Duration window,
                       Duration keepAliveAge, ExecutorService pool, TokenCallRateLimit rateLimit) {
        List<CompletableFuture<Boolean>> runs = new ArrayList<>(due.size());
        for (String account : due) {
            CompletableFuture<Boolean> run;
            try {
                if (pool.isShutdown()) {
                    throw new RejectedExecutionException("the refresh pool is shut down");
                }
                AccountTokenCache cache = accounts.apply(account);
                // permits only for token calls that will be made: a backing-off, dead or paused account is refused
                // at once, and an endpoint pause must not use up the permits the backlog needs after it
                if (rateLimit.limited() && cache.wouldCallIfDue(window, keepAliveAge)) {
                    rateLimit.awaitPermitForPass();
                    run = CompletableFuture.supplyAsync(
                            () -> rateLimit.withPrepaidPermit(() -> cache.refreshIfDue(window, keepAliveAge)), pool);
                } else {
                    run = CompletableFuture.supplyAsync(() -> cache.refreshIfDue(window, keepAliveAge), pool);
                }
            } catch (RejectedExecutionException e) {
                run = CompletableFuture.failedFuture(new TokenRefreshException(accounts.apply(account).provider(),
                        account, "not refreshed: the provider is stopping", e));
            } catch (TokenRefreshException e) {
                run = CompletableFuture.failedFuture(e); // not kept in memory (maxAccounts): reported, not thrown
            }
            runs.add(run);
        }
        List<String> refreshed = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> messages = new LinkedHashMap<>();
        for (int i = 0; i < due.size(); i++) {
            try {
                if (runs.get(i).join()) {
                    refreshed.add(due.get(i));
                }
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                failed.put(due.get(i), cause instanceof TokenRefreshException t ? t.getErrorType()
                        : cause.getClass().getSimpleName());
                // token exceptions never carry a secret; anything else is named by its class only
                messages.put(due.get(i), cause instanceof TokenRefreshException ? cause.getMessage()
                        : cause.getClass().getName());
            }
        }
        return new Outcome(refreshed, failed, messages);
    }
}
