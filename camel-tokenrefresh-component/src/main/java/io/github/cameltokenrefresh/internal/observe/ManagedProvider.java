package io.github.cameltokenrefresh.internal.observe;

import java.time.Instant;
import java.util.List;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.token.AccountStatus;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The JMX view of one provider: read-only counts, expiry and last error, and operations to refresh or invalidate an
 * account. Registered as {@code org.apache.camel:context=...,type=tokenrefresh,name="<provider>"}. Never shows a token.
 * A JMX console reads the attributes one by one: they share one pass over the accounts while nothing changed, for at
 * most a second (states also move with time alone). The lease, backlog, pool and endpoint attributes are read live.
 */
@ManagedResource(description = "tokenrefresh provider")
public class ManagedProvider {

    private final Provider provider;
    private final CachedSummary summary;

    public ManagedProvider(Provider provider) {
        this.provider = provider;
        this.summary = new CachedSummary(provider);
    }

    ProviderSummary summary() {
        return summary.get();
    }

    @ManagedAttribute(description = "Provider name")
    public String getName() {
        return provider.name();
    }

    @ManagedAttribute(description = "Accounts used since start")
    public int getAccounts() {
        return summary().accounts();
    }

    @ManagedAttribute(description = "Accounts with a dead refresh token (invalid_grant)")
    public long getDeadAccounts() {
        return summary().dead();
    }

    @ManagedAttribute(description = "Accounts whose last refresh failed and that are backing off")
    public long getFailingAccounts() {
        return summary().failing();
    }

    @ManagedAttribute(description = "Requests sent to the token endpoint, all accounts")
    public long getTokenCalls() {
        return summary().tokenCalls();
    }

    @ManagedAttribute(description = "Successful refreshes, all accounts")
    public long getRefreshes() {
        return summary().refreshes();
    }

    @ManagedAttribute(description = "Failed refreshes, all accounts")
    public long getFailures() {
        return summary().failures();
    }

    @ManagedAttribute(description = "Refreshes that adopted another instance's newer token from the store, all accounts")
    public long getAdoptedRefreshes() {
        return summary().adoptedRefreshes();
    }

    @ManagedAttribute(description = "Refreshes that waited while another instance held the refresh lease, all accounts")
    public long getLeaseWaits() {
        return summary().leaseWaits();
    }

    @ManagedAttribute(description = "Refresh leases taken over from a holder that never released them, all accounts")
    public long getInterruptedLeases() {
        return summary().interruptedLeases();
    }

    @ManagedAttribute(description = "This instance as a refresh lease owner (the id the store records for its leases)")
    public String getLeaseOwner() {
        return provider.leases().owner();
    }

    @ManagedAttribute(description = "Whether the refresh lease is the store's, shared by every process using it"
                                    + " (false: kept in this JVM only)")
    public boolean isLeaseShared() {
        return provider.leases().shared();
    }

    @ManagedAttribute(description = "Refresh leases this instance holds now")
    public int getLeasesHeld() {
        return provider.leases().held().size();
    }

    @ManagedAttribute(description = "Refreshes of this instance waiting now for a lease another instance holds")
    public int getLeasesAwaited() {
        return provider.leases().awaited().size();
    }

    @ManagedAttribute(description = "Accounts due for a refresh (no access token, or expiring within refreshWindow)"
                                    + " that are not dead, among those this instance knows of")
    public int getRefreshBacklog() {
        return provider.refreshBacklog();
    }

    @ManagedAttribute(description = "Refreshes running now on the provider's refresh pool (-1: unknown)")
    public int getRefreshesActive() {
        return RefreshPoolLoad.of(provider.executor()).active();
    }

    @ManagedAttribute(description = "Refreshes queued now for a thread of the provider's refresh pool (-1: unknown)")
    public int getRefreshesQueued() {
        return RefreshPoolLoad.of(provider.executor()).queued();
    }

    @ManagedAttribute(description = "Threads of the provider's refresh pool at most (refreshConcurrency, or the"
                                    + " tokenrefresh thread pool profile; -1: unknown)")
    public int getRefreshThreads() {
        return RefreshPoolLoad.of(provider.executor()).threads();
    }

    @ManagedAttribute(description = "Until when the token endpoint is paused for every account after a 429/503 or"
                                    + " an unreachable endpoint (ISO-8601), or empty")
    public String getTokenEndpointPausedUntil() {
        Instant until = provider.tokenEndpointPausedUntil();
        return until == null ? "" : until.toString();
    }

    @ManagedAttribute(description = "The error type that paused the token endpoint, or empty")
    public String getTokenEndpointError() {
        String error = provider.tokenEndpointPauseError();
        return error == null ? "" : error;
    }

    @ManagedAttribute(description = "The earliest access token expiry among the accounts (ISO-8601), or empty")
    public String getEarliestExpiry() {
        return summary().earliestExpiry() == null ? "" : summary().earliestExpiry().toString();
    }

    @ManagedAttribute(description = "The error type of the most recent failure of any account, or empty")
    public String getLastErrorType() {
        return summary().lastErrorType() == null ? "" : summary().lastErrorType();
    }

    @ManagedOperation(description = "The state, expiry, counts and last error of one account")
    public String accountStatus(String account) {
        AccountStatus status = provider.status(account);
        return status == null ? "unknown account" : status.toString();
    }

    @ManagedOperation(description = "Who holds one account's refresh lease, since and until when (asks the store);"
                                    + " never a token")
    public String leaseHolder(String account) {
        RefreshLease holder = provider.leases().holder(account);
        if (holder == null) {
            return "free";
        }
        return "held by " + holder.owner() + (holder.owner().equals(provider.leases().owner()) ? " (this instance)" : "")
               + " since " + holder.acquiredAt() + " until " + holder.until() + ", fence " + holder.fence()
               + (holder.interrupted() ? ", taken over from a holder that never released it" : "");
    }

    @ManagedOperation(description = "Refresh one account now; returns the new expiry")
    public String refresh(String account) {
        return String.valueOf(provider.account(account).refresh().getExpiresAt());
    }

    @ManagedOperation(description = "Forget one account's access token so the next caller refreshes")
    public void invalidate(String account) {
        provider.account(account).invalidate();
    }

    @ManagedOperation(description = "A fresh authorization link that (re-)authorizes one account, or empty when the"
                                    + " authorization-code flow is not configured; it holds no secret")
    public String authorizationUrl(String account) {
        String link = provider.reauthorizationUrl(account);
        return link == null ? "" : link;
    }

    @ManagedOperation(description = "The accounts used since start")
    public List<String> accountNames() {
        return provider.statuses().stream().map(AccountStatus::account).toList();
    }
}
