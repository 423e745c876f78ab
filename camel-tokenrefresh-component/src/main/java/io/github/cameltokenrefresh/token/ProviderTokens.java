package io.github.cameltokenrefresh.token;

import java.util.List;

/** One configured provider: the tokens of each of its accounts, and its lifecycle events. */
public interface ProviderTokens {

    String name();

    /** The tokens of an account, created on first use. */
    AccountTokens account(String account);

    /** Accounts known in memory (used since start) or in the store. */
    List<String> accounts();

    /** The status of every account used since start, in account order. */
    List<AccountStatus> statuses();

    /** The status of one account, or null when it has not been used since start. */
    AccountStatus status(String account);

    /**
     * Refreshes every account whose token is missing or expires within the refresh window, and only those.
     * <p>
     * One pass at a time: while one runs, another returns {@link RefreshReport#skipped()} at once.
     *
     * @return which accounts were refreshed, which failed (with their error type), how many were not due
     */
    RefreshReport refreshDue();

    void addListener(TokenEventListener listener);

    void removeListener(TokenEventListener listener);
}
