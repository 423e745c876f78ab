package io.github.cameltokenrefresh.internal.account;

import java.time.Clock;
import java.util.concurrent.Executor;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;

/**
 * What every account of one provider shares, fixed for the provider's life: when to refresh, the clock, where
 * background refreshes run, how tokens are obtained and kept, who hears about it, and whether the token endpoint is
 * paused for all of them.
 */
public record AccountEnvironment(String provider, RefreshPolicy policy, Clock clock, Executor executor,
                                 TokenAcquisition acquisition, TokenPersistence persistence, AccountObserver observer) {

    /** The token endpoint's pause, kept where every token call passes. */
    public EndpointBackoff endpointBackoff() {
        return acquisition.endpointBackoff();
    }
}
