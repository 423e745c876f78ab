package io.github.cameltokenrefresh.internal.observe;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.TokenEvent;
import io.github.cameltokenrefresh.token.TokenEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * Micrometer meters of one provider, fed by its token events. Only loaded when Micrometer is on the classpath and the
 * context has a MeterRegistry (as camel-micrometer provides):
 * <ul>
 * <li>{@code tokenrefresh.refreshes} counter, tags provider, outcome (success, failure, invalid_grant), error;</li>
 * <li>{@code tokenrefresh.token.call} timer of token calls, tags provider, outcome;</li>
 * <li>{@code tokenrefresh.token.expires.in} gauge in seconds by the provider's clock, tags provider, account (one per
 * account used);</li>
 * <li>{@code tokenrefresh.lease.adopted}, {@code tokenrefresh.lease.waits}, {@code tokenrefresh.lease.interrupted}
 * counters of the accounts used, tag provider: refreshes that adopted another instance's token, that waited for its
 * lease, leases taken over from a holder that never released them;</li>
 * <li>{@code tokenrefresh.lease.held} and {@code tokenrefresh.lease.awaited} gauges, tag provider: leases this instance
 * holds, and waits for, now;</li>
 * <li>{@code tokenrefresh.refresh.backlog}, {@code tokenrefresh.refresh.active}, {@code tokenrefresh.refresh.queued}
 * gauges, tag provider: accounts due and not yet refreshed, refreshes running on the pool, refreshes waiting for a
 * thread;</li>
 * <li>{@code tokenrefresh.token.endpoint.resumes.in} gauge in seconds, tag provider: until the token endpoint's
 * provider-wide pause ends, 0 when it is not paused.</li>
 * </ul>
 * Closing removes every meter of the provider, so a stopped provider leaves none behind.
 */
final class MicrometerTokenMetrics implements TokenEventListener, AutoCloseable {

    private final MeterRegistry registry;
    private final Provider provider;
    private final Map<Meter.Id, Meter> meters = new ConcurrentHashMap<>();
    private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();
    private final CachedSummary summary;

    private MicrometerTokenMetrics(MeterRegistry registry, Provider provider) {
        this.registry = registry;
        this.provider = provider;
        this.summary = new CachedSummary(provider);
    }

    /** Binds metrics to the provider when the context's registry holds one MeterRegistry; returns them or null. */
    static MicrometerTokenMetrics bindIfAvailable(CamelContext context, Provider provider) {
        MeterRegistry meterRegistry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (meterRegistry == null) {
            return null;
        }
        MicrometerTokenMetrics metrics = new MicrometerTokenMetrics(meterRegistry, provider);
        metrics.registerProviderMeters();
        provider.addListener(metrics);
        return metrics;
    }

    /** The meters of the provider as a whole, read when the registry asks (a scrape), not fed by events. */
    private void registerProviderMeters() {
        String name = provider.name();
        keep(FunctionCounter.builder("tokenrefresh.lease.adopted", this, m -> m.summary.get().adoptedRefreshes())
                .description("Refreshes that adopted another instance's newer token from the store")
                .tag("provider", name).register(registry));
        keep(FunctionCounter.builder("tokenrefresh.lease.waits", this, m -> m.summary.get().leaseWaits())
                .description("Refreshes that waited while another instance held the refresh lease")
                .tag("provider", name).register(registry));
        keep(FunctionCounter.builder("tokenrefresh.lease.interrupted", this, m -> m.summary.get().interruptedLeases())
                .description("Refresh leases taken over from a holder that never released them")
                .tag("provider", name).register(registry));
        keep(Gauge.builder("tokenrefresh.lease.held", () -> provider.leases().held().size())
                .description("Refresh leases this instance holds now").tag("provider", name).register(registry));
        keep(Gauge.builder("tokenrefresh.lease.awaited", () -> provider.leases().awaited().size())
                .description("Refreshes waiting now for a lease another instance holds").tag("provider", name)
                .register(registry));
        keep(Gauge.builder("tokenrefresh.refresh.backlog", provider::refreshBacklog)
                .description("Accounts due for a refresh and not yet refreshed (dead ones aside)")
                .tag("provider", name).register(registry));
        keep(Gauge.builder("tokenrefresh.refresh.active", () -> RefreshPoolLoad.of(provider.executor()).active())
                .description("Refreshes running now on the provider's refresh pool").tag("provider", name)
                .register(registry));
        keep(Gauge.builder("tokenrefresh.refresh.queued", () -> RefreshPoolLoad.of(provider.executor()).queued())
                .description("Refreshes waiting now for a thread of the provider's refresh pool")
                .tag("provider", name).register(registry));
        keep(Gauge.builder("tokenrefresh.token.endpoint.resumes.in", this::secondsUntilEndpointResumes)
                .description("Seconds until the token endpoint's provider-wide pause ends; 0 when not paused")
                .baseUnit("seconds").tag("provider", name).register(registry));
    }

    private double secondsUntilEndpointResumes() {
        Instant until = provider.tokenEndpointPausedUntil();
        return until == null ? 0 : Math.max(0, until.toEpochMilli() - provider.clock().millis()) / 1000.0;
    }

    @Override
    public void onEvent(TokenEvent event) {
        String outcome = switch (event.type()) {
            case REFRESHED -> "success";
            case INVALID_GRANT -> "invalid_grant";
            case REFRESH_FAILED -> "failure";
            // a warning about the refresh token's coming end, after a successful refresh: not a refresh attempt
            case REFRESH_TOKEN_EXPIRING, REAUTHORIZATION_NEEDED -> null;
            // onboarding, not a refresh attempt
            case AUTHORIZED, AUTHORIZATION_FAILED, DISCONNECTED -> null;
            // counted by tokenrefresh.lease.interrupted; the refresh that follows is counted as itself
            case LEASE_INTERRUPTED -> null;
        };
        if (outcome == null) {
            return;
        }
        keep(Counter.builder("tokenrefresh.refreshes").description("Token refresh attempts by outcome")
                .tag("provider", event.provider()).tag("outcome", outcome)
                .tag("error", event.errorType() == null ? "none" : event.errorType())
                .register(registry)).increment();
        if (event.tokenCallDuration() != null) {
            keep(Timer.builder("tokenrefresh.token.call").description("Token endpoint call latency")
                    .tag("provider", event.provider()).tag("outcome", outcome)
                    .register(registry)).record(event.tokenCallDuration());
        }
        String account = event.account();
        if (gauges.putIfAbsent(account, Boolean.TRUE) == null) {
            keep(Gauge.builder("tokenrefresh.token.expires.in", () -> secondsLeft(account))
                    .description("Seconds until the access token expires").baseUnit("seconds")
                    .tag("provider", event.provider()).tag("account", account).register(registry));
        }
    }

    private <M extends Meter> M keep(M meter) {
        meters.putIfAbsent(meter.getId(), meter);
        return meter;
    }

    private double secondsLeft(String account) {
        AccountStatus status = provider.status(account);
        if (status == null || status.expiresAt() == null) {
            return Double.NaN;
        }
        return (status.expiresAt().toEpochMilli() - provider.clock().millis()) / 1000.0;
    }

    @Override
    public void close() {
        provider.removeListener(this);
        meters.values().forEach(registry::remove);
        meters.clear();
        gauges.clear();
    }
}
