package io.github.cameltokenrefresh.health;

import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.source.Provider;
import io.github.cameltokenrefresh.source.TokenSourceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one provider: DOWN while an account used since start has no working token and cannot get one (dead
 * refresh token, or failing with no valid token left), UP otherwise. Readiness only, not liveness: restarting the JVM
 * revives no refresh token, so a liveness failure would only add a restart loop to the outage.
 */
public class TokenRefreshHealthCheck extends AbstractHealthCheck {

    /** Accounts listed in the details at most; the counts always cover all. */
    static final int MAX_LISTED = 20;

    private final Provider provider;

    public TokenRefreshHealthCheck(Provider provider) {
        super("camel", "tokenrefresh-" + provider.getName());
        this.provider = provider;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<TokenSourceStatus> statuses = provider.statuses();
        builder.detail("provider", provider.getName());
        builder.detail("accounts", statuses.size());
        int down = 0;
        int listed = 0;
        int expiring = 0;
        for (TokenSourceStatus status : statuses) {
            if (status.isRefreshTokenExpiring()) {
                // not DOWN: it still works; the details tell an operator to re-authorize in time
                if (expiring++ < MAX_LISTED) {
                    builder.detail("account." + status.getAccount() + ".refreshTokenExpiresAt",
                                   status.getRefreshTokenExpiresAt().toString());
                }
            }
            if (!isDown(status)) {
                continue;
            }
            down++;
            if (listed++ < MAX_LISTED) {
                String prefix = "account." + status.getAccount() + ".";
                builder.detail(prefix + "state", status.getState().name());
                detail(builder, prefix + "errorType", status.getLastErrorType());
                detail(builder, prefix + "lastRefreshAt", status.getLastRefreshAt());
                detail(builder, prefix + "lastFailureAt", status.getLastFailureAt());
            }
        }
        builder.detail("accountsDown", down);
        builder.detail("refreshTokensExpiringSoon", expiring);
        if (down == 0) {
            builder.up();
        } else {
            builder.message(down + " of " + statuses.size() + " accounts of tokenrefresh:" + provider.getName()
                            + " have no working token");
            builder.down();
        }
    }

    private static void detail(HealthCheckResultBuilder builder, String key, Object value) {
        if (value != null) {
            builder.detail(key, value.toString());
        }
    }

    /** No working token now and none coming without help. */
    static boolean isDown(TokenSourceStatus status) {
        switch (status.getState()) {
            case DEAD:
                return true;
            case FAILING:
                return status.getExpiresAt() == null || !status.getExpiresAt().isAfter(java.time.Instant.now());
            default:
                return false;
        }
    }
}
