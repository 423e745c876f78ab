package io.github.cameltokenrefresh.token;

import java.time.Instant;

/**
 * A token call was needed while the provider's {@code maxTokenCallsPerSecond} allowed none soon enough. No token call
 * was made and nothing failed at the token endpoint: retriable, a permit is free again at {@link #getNextAttempt()}.
 */
public class TokenCallRateLimitException extends RefreshBackoffException {

    private final double maxTokenCallsPerSecond;

    public TokenCallRateLimitException(String provider, String account, double maxTokenCallsPerSecond,
                                       Instant nextPermit) {
        super(provider, account, "no token call now: maxTokenCallsPerSecond=" + maxTokenCallsPerSecond
                                 + " allows the next one at " + nextPermit,
              nextPermit);
        this.maxTokenCallsPerSecond = maxTokenCallsPerSecond;
    }

    public double getMaxTokenCallsPerSecond() {
        return maxTokenCallsPerSecond;
    }

    @Override
    public String getErrorType() {
        return "rate_limited";
    }
}
