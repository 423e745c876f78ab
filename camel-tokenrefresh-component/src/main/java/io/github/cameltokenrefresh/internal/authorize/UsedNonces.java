package io.github.cameltokenrefresh.internal.authorize;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nonces of states already presented, kept until their state expires (after that the expiry refuses them): what
 * makes a state single-use. In memory, so a replica only knows its own callbacks (see docs/onboarding.md).
 */
final class UsedNonces {

    private final Map<String, Instant> used = new ConcurrentHashMap<>();

    /** True the first time a nonce is claimed; false for a replay. */
    boolean claim(String nonce, Instant expiresAt, Instant now) {
        used.values().removeIf(expiry -> expiry.isBefore(now));
        return used.putIfAbsent(nonce, expiresAt) == null;
    }

    int size() {
        return used.size();
    }
}
