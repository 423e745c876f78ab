package io.github.cameltokenrefresh;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@link TokenRefreshConfiguration} that say how the provider's accounts are renewed together: the
 * start-up and scheduled passes and how many refreshes run at once. One of the option groups the configuration is made
 * of; configure a {@link TokenRefreshConfiguration}.
 */
@UriParams
public abstract class RefreshScheduleOptions extends RefreshTimingOptions {

    @UriParam(label = "scheduler", defaultValue = "false",
              description = "Refresh each endpoint's account whose token is missing or expires within refreshWindow as its"
                            + " route starts, before it takes traffic, and every other due stored account right after, in"
                            + " the background; failures are logged as errors.")
    private boolean refreshOnStart;
    @UriParam(label = "scheduler",
              description = "A Quartz cron expression, such as every five minutes: the component adds a Quartz route that"
                            + " refreshes every account whose token expires within refreshWindow. A missed run"
                            + " (application down) runs once, not once per missed fire.")
    private String refreshCron;
    @UriParam(label = "scheduler", javaType = "java.time.Duration",
              description = "Like refreshCron, as a fixed interval (e.g. 5m). Unset or 0: no interval schedule.")
    private long refreshInterval;
    @UriParam(label = "scheduler", defaultValue = "10m", javaType = "java.time.Duration",
              description = "Scheduled and start-up refreshes renew the accounts whose token expires within this"
                            + " window; the others are left alone. Choose it longer than the schedule's period.")
    private long refreshWindow = 600_000;
    @UriParam(label = "scheduler", defaultValue = "4",
              description = "How many refreshes of the provider may run at once: background refreshes in the"
                            + " refresh-ahead window, and the accounts of a scheduled or start-up pass. Token calls use"
                            + " as many connections. A thread pool profile with id tokenrefresh, when the context has"
                            + " one, sizes the pool instead.")
    private int refreshConcurrency = 4;
    @UriParam(label = "scheduler",
              description = "The most token calls a second the provider makes, for all its accounts and every kind of"
                            + " call (refresh-ahead, passes, expired tokens, forced and 401 refreshes, fallback grant,"
                            + " authorization code), e.g. 10 or 0.5. A caller whose token expired waits up to 5 s (or"
                            + " one permit's spacing) for a permit, else fails with a retriable"
                            + " RefreshBackoffException (error type rate_limited); background refreshes are deferred,"
                            + " never waited for on a pool thread. Unset: no limit.")
    private Double maxTokenCallsPerSecond;
    @UriParam(label = "scheduler", javaType = "java.time.Duration",
              description = "Keep-alive for providers that revoke idle refresh tokens (Microsoft: 90 days): scheduled"
                            + " and start-up passes also refresh every account whose token was issued (last refreshed)"
                            + " longer ago than this, even when it is not due, e.g. 30d. Unset or 0: off.")
    private long keepAliveAge;
    @UriParam(label = "scheduler",
              description = "Runs the refresh schedule (refreshCron or refreshInterval) on one context of the cluster"
                            + " only: the leader of this namespace of the context's CamelClusterService (its route"
                            + " reads from master:NAMESPACE:quartz:...; needs camel-master and a cluster service,"
                            + " e.g. camel-file's FileLockClusterService). Without it every replica runs the schedule,"
                            + " and the refresh lease keeps each account to one token call.")
    private String refreshClusterNamespace;
    @UriParam(label = "scheduler", defaultValue = "100000",
              description = "The most accounts the provider keeps in memory (about 0.7 KB each once used). An account"
                            + " named only by a CamelTokenRefreshAccount header that holds nothing (no refresh token, no"
                            + " stored record) is forgotten when the limit is reached and it is idle; its next use reads"
                            + " the store again. When none can be forgotten, a new account fails with"
                            + " TooManyAccountsException (error type too_many_accounts), which health does not count."
                            + " Raise it for more accounts in use at once.")
    private int maxAccounts = 100_000;

    public boolean isRefreshOnStart() {
        return refreshOnStart;
    }

    public void setRefreshOnStart(boolean refreshOnStart) {
        this.refreshOnStart = refreshOnStart;
    }

    public String getRefreshCron() {
        return refreshCron;
    }

    public void setRefreshCron(String refreshCron) {
        this.refreshCron = refreshCron;
    }

    public long getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(long refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    public long getRefreshWindow() {
        return refreshWindow;
    }

    public void setRefreshWindow(long refreshWindow) {
        this.refreshWindow = refreshWindow;
    }

    public int getRefreshConcurrency() {
        return refreshConcurrency;
    }

    public void setRefreshConcurrency(int refreshConcurrency) {
        this.refreshConcurrency = refreshConcurrency;
    }

    public long getKeepAliveAge() {
        return keepAliveAge;
    }

    public void setKeepAliveAge(long keepAliveAge) {
        this.keepAliveAge = keepAliveAge;
    }

    public Double getMaxTokenCallsPerSecond() {
        return maxTokenCallsPerSecond;
    }

    public void setMaxTokenCallsPerSecond(Double maxTokenCallsPerSecond) {
        this.maxTokenCallsPerSecond = maxTokenCallsPerSecond;
    }

    public int getMaxAccounts() {
        return maxAccounts;
    }

    public void setMaxAccounts(int maxAccounts) {
        this.maxAccounts = maxAccounts;
    }

    public String getRefreshClusterNamespace() {
        return refreshClusterNamespace;
    }

    public void setRefreshClusterNamespace(String refreshClusterNamespace) {
        this.refreshClusterNamespace = refreshClusterNamespace;
    }
}
