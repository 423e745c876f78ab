package io.github.cameltokenrefresh.management;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.github.cameltokenrefresh.source.Provider;
import io.github.cameltokenrefresh.source.TokenSourceStatus;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The JMX view of one provider: read-only counts, expiry and last error, and operations to refresh or invalidate an
 * account. Registered as {@code org.apache.camel:context=...,type=tokenrefresh,name="<provider>"}. Never shows a token.
 */
@ManagedResource(description = "tokenrefresh provider")
public class ManagedProvider {

    private final Provider provider;

    public ManagedProvider(Provider provider) {
        this.provider = provider;
    }

    @ManagedAttribute(description = "Provider name")
    public String getName() {
        return provider.getName();
    }

    @ManagedAttribute(description = "Accounts used since start")
    public int getAccounts() {
        return provider.statuses().size();
    }

    @ManagedAttribute(description = "Accounts with a dead refresh token (invalid_grant)")
    public long getDeadAccounts() {
        return count(TokenSourceStatus.State.DEAD);
    }

    @ManagedAttribute(description = "Accounts whose last refresh failed and that are backing off")
    public long getFailingAccounts() {
        return count(TokenSourceStatus.State.FAILING);
    }

    @ManagedAttribute(description = "Requests sent to the token endpoint, all accounts")
    public long getTokenCalls() {
        return provider.statuses().stream().mapToLong(TokenSourceStatus::getTokenCalls).sum();
    }

    @ManagedAttribute(description = "Successful refreshes, all accounts")
    public long getRefreshes() {
        return provider.statuses().stream().mapToLong(TokenSourceStatus::getRefreshes).sum();
    }

    @ManagedAttribute(description = "Failed refreshes, all accounts")
    public long getFailures() {
        return provider.statuses().stream().mapToLong(TokenSourceStatus::getFailures).sum();
    }

    @ManagedAttribute(description = "The earliest access token expiry among the accounts (ISO-8601), or empty")
    public String getEarliestExpiry() {
        return provider.statuses().stream().map(TokenSourceStatus::getExpiresAt).filter(Objects::nonNull)
                .min(Instant::compareTo).map(Instant::toString).orElse("");
    }

    @ManagedAttribute(description = "The error type of the most recent failure of any account, or empty")
    public String getLastErrorType() {
        return provider.statuses().stream().filter(s -> s.getLastFailureAt() != null)
                .max((a, b) -> a.getLastFailureAt().compareTo(b.getLastFailureAt()))
                .map(TokenSourceStatus::getLastErrorType).orElse("");
    }

    @ManagedOperation(description = "The state, expiry, counts and last error of one account")
    public String accountStatus(String account) {
        TokenSourceStatus status = provider.status(account);
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

    @ManagedOperation(description = "The accounts used since start")
    public List<String> accountNames() {
        return provider.statuses().stream().map(TokenSourceStatus::getAccount).toList();
    }

    private long count(TokenSourceStatus.State state) {
        return provider.statuses().stream().filter(s -> s.getState() == state).count();
    }
}
