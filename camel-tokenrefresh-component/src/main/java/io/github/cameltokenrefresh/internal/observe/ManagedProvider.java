package io.github.cameltokenrefresh.internal.observe;

import java.util.List;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.token.AccountStatus;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The JMX view of one provider: read-only counts, expiry and last error, and operations to refresh or invalidate an
 * account. Registered as {@code org.apache.camel:context=...,type=tokenrefresh,name="<provider>"}. Never shows a token.
 * A JMX console reads the attributes one by one: they share one pass over the accounts while nothing changed, for at
 * most a second (states also move with time alone).
 */
@ManagedResource(description = "tokenrefresh provider")
public class ManagedProvider {

    /** How long one pass over the accounts answers attribute reads. */
    static final long SUMMARY_MILLIS = 1_000;

    private final Provider provider;
    private volatile ProviderSummary summary;

    public ManagedProvider(Provider provider) {
        this.provider = provider;
    }

    ProviderSummary summary() {
        ProviderSummary s = summary;
        long now = provider.clock().millis();
        if (s == null || s.changes() != provider.changes() || now - s.takenAtMillis() >= SUMMARY_MILLIS
            || now < s.takenAtMillis()) {
            s = ProviderSummary.of(provider);
            summary = s;
        }
        return s;
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
