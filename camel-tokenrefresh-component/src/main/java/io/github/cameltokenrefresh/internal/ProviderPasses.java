package io.github.cameltokenrefresh.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.account.TokenCallRateLimit;
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
    /** The same accounts by when their token was issued (last refreshed), for keep-alive; unknown sorts last. */
    private final ExpiryIndex issues = new ExpiryIndex();
    private final Set<String> refreshedOnStart = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean storedAccountsRefreshedOnStart = new AtomicBoolean();
    private final AtomicBoolean passRunning = new AtomicBoolean();
    private final TokenCallRateLimit rateLimit;
    private volatile boolean indexed;

    ProviderPasses(ProviderDefinition definition, TokenStore store, Clock clock, ExecutorService pool,
                   Function<String, AccountTokenCache> accounts, TokenCallRateLimit rateLimit) {
        this.rateLimit = rateLimit;
        this.definition = definition;
        this.store = store;
        this.clock = clock;
        this.pool = pool;
        this.accounts = accounts;
    }

    private String name() {
        return definition.name();
    }

    /** The account's token changed: both indexes follow, so they stay exact. */
    void indexToken(String account, Token token) {
        boolean hasAccessToken = token != null && token.hasAccessToken();
        expiries.update(account, hasAccessToken ? token.getExpiresAt() : null);
        issues.update(account, issuedAt(token));
    }

    private static Instant issuedAt(Token token) {
        Instant at = token == null ? null : token.getIssuedAt() != null ? token.getIssuedAt()
                : token.getRefreshTokenIssuedAt();
        return at != null ? at : Instant.MAX;
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
        RefreshPass.Outcome outcome = RefreshPass.run(due, accounts, definition.schedule().refreshWindow(),
                                                      definition.schedule().keepAliveAge(), pool, rateLimit);
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
        Instant now = clock.instant();
        Instant limit = now.plus(definition.schedule().refreshWindow());
        Duration keepAliveAge = definition.schedule().keepAliveAge();
        Instant idleBefore = keepAliveAge.isZero() ? null : now.minus(keepAliveAge);
        // a store that knows its expiries (a database) answers what is due; otherwise our own index does
        List<String> due = store.accountsDueBefore(name(), limit, idleBefore);
        boolean storeAnswered = due != null;
        if (!storeAnswered) {
            ensureIndexed();
            due = expiries.dueBefore(limit);
            if (idleBefore != null) {
                // keep-alive: after the accounts due by expiry, those issued before the age, oldest first
                Set<String> dueByExpiry = new HashSet<>(due);
                issues.dueBefore(idleBefore).stream().filter(a -> !dueByExpiry.contains(a)).forEach(due::add);
            }
        }
        RefreshPass.Outcome outcome = RefreshPass.run(due, accounts, definition.schedule().refreshWindow(), keepAliveAge,
                                                      pool, rateLimit);
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
                    issues.update(stored, issuedAt(token));
                }
            }
            indexed = true;
        }
    }
}
