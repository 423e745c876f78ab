package io.github.cameltokenrefresh.internal.observe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.account.LeaseActivity;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one provider: DOWN while an account used since start has no working token and cannot get one (dead
 * refresh token, or failing with no valid token left), or while the token store cannot be read (errorType=store:
 * every token that is not in memory, and every save, fails then), UP otherwise. Readiness only, not liveness: restarting the JVM
 * revives no refresh token, so a liveness failure would only add a restart loop to the outage. The details also show
 * the refresh lease (this instance as its owner, the leases it holds or waits for) and the refresh backlog and pool.
 */
public class TokenRefreshHealthCheck extends AbstractHealthCheck {

    /** Accounts listed in the details at most; the counts always cover all. */
    static final int MAX_LISTED = 20;

    /**
     * The account the store check reads: one that does not exist, so the check reads by key, decodes no record and
     * finds nothing (a name no endpoint uses: tokenrefresh account names are the user's).
     */
    static final String STORE_PROBE_ACCOUNT = "tokenrefresh-health-check";

    private final Provider provider;
    /** Since when the store could not be read, by the provider's clock; null while it can. */
    private volatile Instant storeUnreadableSince;

    public TokenRefreshHealthCheck(Provider provider) {
        super("camel", "tokenrefresh-" + provider.name());
        this.provider = provider;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<AccountStatus> statuses = provider.statuses();
        builder.detail("provider", provider.name());
        builder.detail("accounts", statuses.size());
        int down = 0;
        int listed = 0;
        int expiring = 0;
        for (AccountStatus status : statuses) {
            if (status.refreshTokenExpiring()) {
                // not DOWN: it still works; the details tell an operator to re-authorize in time
                if (expiring++ < MAX_LISTED) {
                    builder.detail("account." + status.account() + ".refreshTokenExpiresAt",
                                   status.refreshTokenExpiresAt().toString());
                }
            }
            if (!status.isDown()) {
                if (status.refreshTokenExpiring() && listed++ < MAX_LISTED) {
                    // up, but only its owner can keep it so: the link to send them
                    String prefix = "account." + status.account() + ".";
                    detail(builder, prefix + "refreshTokenExpiresAt", status.refreshTokenExpiresAt());
                    detail(builder, prefix + "authorizationUrl", provider.reauthorizationUrl(status.account()));
                }
                continue;
            }
            down++;
            if (listed++ < MAX_LISTED) {
                String prefix = "account." + status.account() + ".";
                builder.detail(prefix + "state", status.state().name());
                detail(builder, prefix + "errorType", status.lastErrorType());
                detail(builder, prefix + "lastRefreshAt", status.lastRefreshAt());
                detail(builder, prefix + "lastFailureAt", status.lastFailureAt());
                if (status.state() == TokenState.DEAD) {
                    detail(builder, prefix + "authorizationUrl", provider.reauthorizationUrl(status.account()));
                }
            }
        }
        builder.detail("accountsDown", down);
        Instant paused = provider.tokenEndpointPausedUntil();
        if (paused != null) {
            // the endpoint itself is in trouble: no account calls it before then
            builder.detail("tokenEndpointPausedUntil", paused.toString());
            detail(builder, "tokenEndpointError", provider.tokenEndpointPauseError());
        }
        builder.detail("refreshTokensExpiringSoon", expiring);
        leaseDetails(builder, statuses);
        RefreshPoolLoad pool = RefreshPoolLoad.of(provider.executor());
        // operations, not readiness: a backlog or a busy pool still serves every valid token
        builder.detail("refreshBacklog", provider.refreshBacklog());
        builder.detail("refreshesActive", pool.active());
        builder.detail("refreshesQueued", pool.queued());
        builder.detail("refreshThreads", pool.threads());
        String storeFailure = storeFailure();
        if (storeFailure != null) {
            // no account may be down yet (nothing used since start, or valid tokens in memory), but every token not
            // in memory and every save fails: not ready, and the details say why
            builder.detail("errorType", "store");
            builder.detail("storeError", storeFailure);
            builder.detail("storeUnreadableSince", storeUnreadableSince.toString());
            builder.message("the token store of tokenrefresh:" + provider.name() + " cannot be read (" + storeFailure
                            + ")" + (down == 0 ? "" : "; " + down + " of " + statuses.size() + " accounts have no"
                                                      + " working token"));
            builder.down();
        } else if (down == 0) {
            builder.up();
        } else {
            builder.message(down + " of " + statuses.size() + " accounts of tokenrefresh:" + provider.name()
                            + " have no working token");
            builder.down();
        }
    }

    /**
     * Reads the store once (one read by key: a primary-key SELECT for the JDBC store, a file lookup for the file
     * store) and returns null when it answered, else what failed: the exception types of the failure and its causes,
     * never a message, which a driver may fill with connection details.
     */
    private String storeFailure() {
        try {
            provider.store().load(provider.name(), STORE_PROBE_ACCOUNT);
            storeUnreadableSince = null;
            return null;
        } catch (RuntimeException e) {
            if (storeUnreadableSince == null) {
                storeUnreadableSince = provider.clock().instant();
            }
            StringBuilder types = new StringBuilder();
            for (Throwable t = e; t != null && types.length() < 200; t = t.getCause()) {
                types.append(types.length() == 0 ? "" : " < ").append(t.getClass().getSimpleName());
            }
            return types.toString();
        }
    }

    /** Who this instance is as a lease owner, the leases it holds and waits for now, and the lease counts. */
    private void leaseDetails(HealthCheckResultBuilder builder, List<AccountStatus> statuses) {
        LeaseActivity leases = provider.leases();
        builder.detail("leaseOwner", leases.owner());
        builder.detail("leaseShared", leases.shared());
        List<LeaseActivity.Held> held = leases.held();
        List<LeaseActivity.Awaited> awaited = leases.awaited();
        builder.detail("leasesHeld", held.size());
        builder.detail("leasesAwaited", awaited.size());
        for (LeaseActivity.Held h : held.subList(0, Math.min(held.size(), MAX_LISTED))) {
            builder.detail("account." + h.account() + ".leaseHeldBy", leases.owner());
            builder.detail("account." + h.account() + ".leaseHeldSince", h.acquiredAt().toString());
        }
        for (LeaseActivity.Awaited a : awaited.subList(0, Math.min(awaited.size(), MAX_LISTED))) {
            detail(builder, "account." + a.account() + ".leaseHeldBy", a.holder());
            detail(builder, "account." + a.account() + ".leaseHeldSince", a.holderSince());
            builder.detail("account." + a.account() + ".leaseWaitingSince", a.waitingSince().toString());
        }
        long adopted = 0;
        long waits = 0;
        long interrupted = 0;
        for (AccountStatus status : statuses) {
            adopted += status.adoptedRefreshes();
            waits += status.leaseWaits();
            interrupted += status.interruptedLeases();
        }
        builder.detail("adoptedRefreshes", adopted);
        builder.detail("leaseWaits", waits);
        builder.detail("interruptedLeases", interrupted);
    }

    private static void detail(HealthCheckResultBuilder builder, String key, Object value) {
        if (value != null) {
            builder.detail(key, value.toString());
        }
    }
}
