package io.github.cameltokenrefresh.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.RefreshReport;
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

    private static final Logger LOG = LoggerFactory.getLogger(ProviderPasses.class);

    private final ProviderDefinition definition;
    private final TokenStore store;
    private final Clock clock;
    private final ExecutorService pool;
    private final Function<String, AccountTokenCache> accounts;
    private final ExpiryIndex expiries = new ExpiryIndex();
    /** The same accounts by when their token was issued (last refreshed), for keep-alive; unknown sorts last. */
    private final ExpiryIndex issues = new ExpiryIndex();
    private final Set<String> refreshedOnStart = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean passRunning = new AtomicBoolean();
    /** The expiry index's one build: null until a pass or the start-up pass needs it, complete once built. */
    private final AtomicReference<CompletableFuture<Void>> indexed = new AtomicReference<>();
    private final CompletableFuture<Void> startupPass = new CompletableFuture<>();
    private final TokenCallRateLimit rateLimit;

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

    /** With refreshOnStart: this producer's account, when due, before its route takes traffic. */
    void onProducerStart(String account) {
        if (!definition.schedule().refreshOnStart() || !refreshedOnStart.add(account)) {
            return;
        }
        logStartOutcome(run(List.of(account)));
    }

    /**
     * The start-up pass, off the thread that starts the routes: with refreshOnStart every stored account that is due
     * (as a scheduled pass finds them), else, when a schedule will need it, only the expiry index. Failures are logged:
     * the routes run already.
     */
    void startInBackground(Executor background) {
        boolean refreshOnStart = definition.schedule().refreshOnStart();
        if (!refreshOnStart && !definition.schedule().isScheduled()) {
            startupPass.complete(null);
            return;
        }
        try {
            background.execute(() -> {
                try {
                    if (refreshOnStart) {
                        refreshStoredOnStart();
                    } else if (store.accountsDueBefore(name(), Instant.EPOCH, keepAlive() ? Instant.EPOCH : null) == null) {
                        ensureIndexed(); // the store does not know expiries: index them now, not at the first pass
                    }
                } catch (RuntimeException e) {
                    LOG.error("tokenrefresh:{} start-up pass failed: {}", name(), e.toString());
                } finally {
                    startupPass.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            startupPass.complete(null); // stopping already
        }
    }

    CompletableFuture<Void> startupPass() {
        return startupPass.copy();
    }

    private void refreshStoredOnStart() {
        if (!passRunning.compareAndSet(false, true)) {
            return; // a scheduled pass runs: it refreshes the same due accounts
        }
        try {
            logStartOutcome(run(dueNow(clock.instant()).accounts()));
        } finally {
            passRunning.set(false);
        }
    }

    private void logStartOutcome(RefreshPass.Outcome outcome) {
        outcome.refreshed().forEach(a -> LOG.info("tokenrefresh:{} account '{}': refreshed on start", name(), a));
        outcome.messages().forEach((a, message) -> LOG.error("tokenrefresh:{} account '{}': refresh on start failed: {}",
                                                             name(), a, message));
    }

    /** One scheduled pass, unless the previous one still runs. */
    RefreshReport refreshDue() {
        if (!passRunning.compareAndSet(false, true)) {
            // a slow pass must not be joined by the next one: it would refresh the same accounts again
            LOG.info("tokenrefresh:{} scheduled refresh skipped: the previous pass is still running", name());
            return RefreshReport.skipped();
        }
        try {
            return refreshDueNow();
        } finally {
            passRunning.set(false);
        }
    }

    private RefreshPass.Outcome run(List<String> due) {
        return RefreshPass.run(due, accounts, definition.schedule().refreshWindow(), definition.schedule().keepAliveAge(),
                               pool, rateLimit);
    }

    private RefreshReport refreshDueNow() {
        Due found = dueNow(clock.instant());
        List<String> due = found.accounts();
        boolean storeAnswered = found.storeAnswered();
        RefreshPass.Outcome outcome = run(due);
        List<String> refreshed = outcome.refreshed();
        Map<String, String> failed = outcome.failed();
        // with a store that answered the due query, the accounts it did not name were not even looked at: count only
        // those the pass looked at and left alone
        int notDue = (storeAnswered ? due.size() : expiries.size()) - refreshed.size() - failed.size();
        if (!refreshed.isEmpty() || !failed.isEmpty()) {
            LOG.info("tokenrefresh:{} scheduled refresh: {} refreshed, {} failed, {} not due", name(), refreshed.size(),
                     failed.size(), notDue);
        }
        return RefreshReport.of(refreshed, failed, notDue);
    }

    private boolean keepAlive() {
        return !definition.schedule().keepAliveAge().isZero();
    }

    /** The accounts a pass looks at, and whether the store named them (else our own indexes did). */
    private record Due(List<String> accounts, boolean storeAnswered) {
    }

    /**
     * The due accounts, soonest first, then (with keepAliveAge) those issued before the age, oldest first: a store that
     * knows its expiries (a database) answers, else our own indexes.
     */
    private Due dueNow(Instant now) {
        Instant limit = now.plus(definition.schedule().refreshWindow());
        Duration keepAliveAge = definition.schedule().keepAliveAge();
        Instant idleBefore = keepAliveAge.isZero() ? null : now.minus(keepAliveAge);
        List<String> due = store.accountsDueBefore(name(), limit, idleBefore);
        if (due != null) {
            return new Due(due, true);
        }
        ensureIndexed();
        due = expiries.dueBefore(limit);
        if (idleBefore != null) {
            Set<String> dueByExpiry = new HashSet<>(due);
            issues.dueBefore(idleBefore).stream().filter(a -> !dueByExpiry.contains(a)).forEach(due::add);
        }
        return new Due(due, false);
    }

    /** The accounts this instance knows of (used, or indexed by a pass) that a pass would refresh now. */
    List<String> knownDue() {
        return expiries.dueBefore(clock.instant().plus(definition.schedule().refreshWindow()));
    }

    /**
     * Indexes the expiry of every stored account once, reading records without keeping them: from then on the
     * accounts keep the index current, so a scheduled pass costs what is due, not what is held. One build at a time;
     * a pass that needs the index while the start-up pass builds it waits for that build. A failed build is tried again
     * by the next pass.
     */
    private void ensureIndexed() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> current = indexed.compareAndExchange(null, mine);
        if (current != null) {
            try {
                current.join();
                return;
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            for (String stored : store.accounts(name())) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("tokenrefresh:" + name() + " stopped while indexing its accounts");
                }
                if (!expiries.contains(stored)) {
                    var record = store.load(name(), stored);
                    Token token = record == null ? null : record.token();
                    // offer, not update: an account that changed its token meanwhile told the index the newer expiry
                    expiries.offer(stored, token == null || !token.hasAccessToken() ? null : token.getExpiresAt());
                    issues.offer(stored, issuedAt(token));
                }
            }
            mine.complete(null);
        } catch (RuntimeException | Error e) {
            indexed.set(null);
            mine.completeExceptionally(e);
            throw e;
        }
    }
}
