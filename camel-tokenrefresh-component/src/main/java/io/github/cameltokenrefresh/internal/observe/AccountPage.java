package io.github.cameltokenrefresh.internal.observe;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.token.AccountStatus;

/**
 * The accounts of one provider the dev console shows: a page of them in account order, optionally only one account or
 * one state, so a provider with 100,000 accounts answers with a page, not a megabyte. Options (as the console's
 * caller passes them, e.g. {@code camel get dev-console tokenrefresh --option limit=50}): {@code offset} (default 0),
 * {@code limit} (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}), {@code account}, {@code state} (a
 * TokenState name, e.g. DEAD).
 */
record AccountPage(List<AccountStatus> shown, int total, int matching, int offset, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    static AccountPage of(Provider provider, Map<String, Object> options) {
        int offset = Math.max(0, number(options.get("offset"), 0));
        int limit = Math.min(MAX_LIMIT, Math.max(1, number(options.get("limit"), DEFAULT_LIMIT)));
        String account = text(options.get("account"));
        String state = text(options.get("state"));
        List<AccountStatus> all = provider.statuses();
        List<AccountStatus> matching = all.stream()
                .filter(s -> account == null || s.account().equals(account))
                .filter(s -> state == null || s.state().name().equals(state.toUpperCase(Locale.ROOT)))
                .toList();
        int from = Math.min(offset, matching.size());
        return new AccountPage(matching.subList(from, Math.min(matching.size(), from + limit)), all.size(),
                               matching.size(), offset, limit);
    }

    /** "accounts 1-100 of 100000 (12 matching state=DEAD)" style, for the text view. */
    String describe() {
        String range = shown.isEmpty() ? "none" : (offset + 1) + "-" + (offset + shown.size());
        return "Accounts: " + range + " of " + matching + (matching == total ? "" : " matching (" + total + " in all)")
               + (offset + shown.size() < matching ? "; next page: option offset=" + (offset + shown.size()) : "");
    }

    private static int number(Object value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }
}
