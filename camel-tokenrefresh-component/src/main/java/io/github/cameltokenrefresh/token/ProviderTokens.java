package io.github.cameltokenrefresh.token;

import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.store.TokenStore;

/** One configured provider: the tokens of each of its accounts, and its lifecycle events. */
public interface ProviderTokens {

    String name();

    /** Where the provider keeps its tokens. */
    TokenStore store();

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
     *
     * @return {refreshed: [accounts], failed: {account: error type}, notDue: count}
     */
    Map<String, Object> refreshDue();

    void addListener(TokenEventListener listener);

    void removeListener(TokenEventListener listener);
}
