package io.github.cameltokenrefresh.internal.observe;

import io.github.cameltokenrefresh.internal.Provider;

/**
 * One pass over a provider's accounts, reused while nothing changed for at most a second (states also move with time
 * alone): a JMX console reads attributes one by one and a meter registry reads each meter, and 100,000 accounts
 * should be added up once for all of them.
 */
final class CachedSummary {

    /** How long one pass over the accounts answers reads. */
    static final long SUMMARY_MILLIS = 1_000;

    private final Provider provider;
    private volatile ProviderSummary summary;

    CachedSummary(Provider provider) {
        this.provider = provider;
    }

    ProviderSummary get() {
        ProviderSummary s = summary;
        long now = provider.clock().millis();
        if (s == null || s.changes() != provider.changes() || now - s.takenAtMillis() >= SUMMARY_MILLIS
            || now < s.takenAtMillis()) {
            s = ProviderSummary.of(provider);
            summary = s;
        }
        return s;
    }
}
