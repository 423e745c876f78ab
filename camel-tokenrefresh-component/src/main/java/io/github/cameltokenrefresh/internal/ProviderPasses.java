package io.github.cameltokenrefresh.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.Token;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refreshes of one provider that nobody asked for: the start-up pass and the scheduled passes, which find the
 * due accounts (from the store when it knows its expiries, else from an expiry index kept here) and run them on the
 * provider's refresh pool. Failures of a start-up pass are logged, not thrown: one dead account must not stop the
 * routes of all the others.
 */
final class ProviderPasses {

    /** The provider's category, which the docs name. */
    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.source.Provider");

    private final ProviderDefinition definition;
    private final TokenStore store;
    private final Clock clock;
    private final ExecutorService pool;
    private final Function<String, AccountTokenCache> accounts;
    private final ExpiryIndex expiries = new ExpiryIndex();
    private final Set<String> refreshedOnStart = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean storedAccountsRefreshedOnStart = new AtomicBoolean();
    private final AtomicBoolean passRunning = new AtomicBoolean();
    private volatile boolean indexed;

    ProviderPasses(ProviderDefinition definition, TokenStore store, Clock clock, ExecutorService pool,
                   Function<String, AccountTokenCache> accounts) {
        this.definition = definition;
        this.store = store;
        this.clock = clock;
        this.pool = pool;
        this.accounts = accounts;
    }

    private String name() {
        return definition.name();
    }

    /** The account's access token now expires then (null: none held): keeps the expiry index exact. */
    void indexExpiry(String account, Instant expiresAt) {
        expiries.update(account, expiresAt);
    }

    /** With refreshOnStart: this producer's account and, the first time, every stored account, when due. */
    void onProducerStart(String account) {
        if (!definition.schedule().refreshOnStart()) {
            return;
        }
        List<String> due = new ArrayList<>();
        if (refreshedOnStart.add(account)) {
            due.add(account);
        }
        if (storedAccountsRefreshedOnStart.compareAndSet(false, true)) {
            store.accounts(name()).stream().filter(refreshedOnStart::add).forEach(due::add);
        }
        RefreshPass.Outcome outcome = RefreshPass.run(due, accounts, definition.schedule().refreshWindow(), pool);
        outcome.refreshed().forEach(a -> LOG.info("tokenrefresh:{} account '{}': refreshed on start", name(), a));
        outcome.messages().forEach((a, message) -> LOG.error("tokenrefresh:{} account '{}': refresh on start failed: {}",
                                                             name(), a, message));
    }

    /** One scheduled pass, unless the previous one still runs. */
    Map<String, Object> refreshDue() {
        if (!passRunning.compareAndSet(false, true)) {
            // a slow pass must not be joined by the next one: it would refresh the same accounts again
            LOG.info("tokenrefresh:{} scheduled refresh skipped: the previous pass is still running", name());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("refreshed", List.of());
            report.put("failed", Map.of());
            report.put("notDue", 0);
            report.put("skipped", true);
            return report;
        }
        try {
            return refreshDueNow();
        } finally {
            passRunning.set(false);
        }
    }

    private Map<String, Object> refreshDueNow() {
        Instant limit = clock.instant().plus(definition.schedule().refreshWindow());
        // a store that knows its expiries (a database) answers what is due; otherwise our own index does
        List<String> due = store.accountsExpiringBefore(name(), limit);
        boolean storeAnswered = due != null;
        if (!storeAnswered) {
            ensureIndexed();
            due = expiries.dueBefore(limit);
        }
        RefreshPass.Outcome outcome = RefreshPass.run(due, accounts, definition.schedule().refreshWindow(), pool);
        List<String> refreshed = outcome.refreshed();
        Map<String, String> failed = outcome.failed();
        // with a store that answered the due query, the accounts it did not name were not even looked at: count only
        // those the pass looked at and left alone
        int notDue = (storeAnswered ? due.size() : expiries.size()) - refreshed.size() - failed.size();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("refreshed", refreshed);
        report.put("failed", failed);
        report.put("notDue", notDue);
        if (!refreshed.isEmpty() || !failed.isEmpty()) {
            LOG.info("tokenrefresh:{} scheduled refresh: {} refreshed, {} failed, {} not due", name(), refreshed.size(),
                     failed.size(), notDue);
        }
        return report;
    }

    /** The accounts this instance knows of (used, or indexed by a pass) that a pass would refresh now. */
    List<String> dueNow() {
        return expiries.dueBefore(clock.instant().plus(definition.schedule().refreshWindow()));
    }

    /**
     * Indexes the expiry of every stored account once, reading records without keeping them: from then on the
     * accounts keep the index current, so a scheduled pass costs what is due, not what is held.
     */
    private void ensureIndexed() {
        if (indexed) {
            return;
        }
        synchronized (expiries) {
            if (indexed) {
                return;
            }
            for (String stored : store.accounts(name())) {
                if (!expiries.contains(stored)) {
                    var record = store.load(name(), stored);
                    Token token = record == null ? null : record.token();
                    expiries.update(stored, token == null || !token.hasAccessToken() ? null : token.getExpiresAt());
                }
            }
            indexed = true;
        }
    }
}
