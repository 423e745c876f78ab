package io.github.cameltokenrefresh.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.source.Provider;
import io.github.cameltokenrefresh.source.TokenEvent;
import io.github.cameltokenrefresh.source.TokenEventListener;
import io.github.cameltokenrefresh.source.TokenSourceStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of one provider, fed by its token events. Only loaded when Micrometer is on the classpath and the
 * context has a MeterRegistry (as camel-micrometer provides):
 * <ul>
 * <li>{@code tokenrefresh.refreshes} counter, tags provider, outcome (success, failure, invalid_grant), error;</li>
 * <li>{@code tokenrefresh.token.call} timer of token calls, tags provider, outcome;</li>
 * <li>{@code tokenrefresh.token.expires.in} gauge in seconds, tags provider, account (one per account used).</li>
 * </ul>
 */
public final class MicrometerTokenMetrics implements TokenEventListener {

    private final MeterRegistry registry;
    private final Provider provider;
    private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();

    public MicrometerTokenMetrics(MeterRegistry registry, Provider provider) {
        this.registry = registry;
        this.provider = provider;
    }

    /** Binds metrics to the provider when the context's registry holds one MeterRegistry; returns it or null. */
    public static TokenEventListener bindIfAvailable(org.apache.camel.CamelContext context, Provider provider) {
        MeterRegistry meterRegistry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (meterRegistry == null) {
            return null;
        }
        MicrometerTokenMetrics metrics = new MicrometerTokenMetrics(meterRegistry, provider);
        provider.addListener(metrics);
        return metrics;
    }

    @Override
    public void onEvent(TokenEvent event) {
        String outcome = switch (event.getType()) {
            case REFRESHED -> "success";
            case INVALID_GRANT -> "invalid_grant";
            default -> "failure";
        };
        Counter.builder("tokenrefresh.refreshes").description("Token refresh attempts by outcome")
                .tag("provider", event.getProvider()).tag("outcome", outcome)
                .tag("error", event.getErrorType() == null ? "none" : event.getErrorType())
                .register(registry).increment();
        if (event.getTokenCallDuration() != null) {
            Timer.builder("tokenrefresh.token.call").description("Token endpoint call latency")
                    .tag("provider", event.getProvider()).tag("outcome", outcome)
                    .register(registry).record(event.getTokenCallDuration());
        }
        String account = event.getAccount();
        if (gauges.putIfAbsent(account, Boolean.TRUE) == null) {
            Gauge.builder("tokenrefresh.token.expires.in", () -> secondsLeft(account))
                    .description("Seconds until the access token expires").baseUnit("seconds")
                    .tag("provider", event.getProvider()).tag("account", account).register(registry);
        }
    }

    private double secondsLeft(String account) {
        TokenSourceStatus status = provider.status(account);
        if (status == null || status.getExpiresAt() == null) {
            return Double.NaN;
        }
        return (status.getExpiresAt().toEpochMilli() - System.currentTimeMillis()) / 1000.0;
    }
}
