package io.github.cameltokenrefresh.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The accounts of a provider ordered by access token expiry, so that a scheduled pass finds the accounts due for a
 * refresh in time proportional to how many are due, not to how many are held. Accounts without an access token sort
 * first: they are always due. The passes keep a second one by the token's issue time, for keep-alive.
 */
final class ExpiryIndex {

    private static final Instant NO_TOKEN = Instant.MIN;

    private record Entry(Instant expiresAt, String account) {
    }

    private static final Comparator<Entry> ORDER
            = Comparator.comparing(Entry::expiresAt).thenComparing(Entry::account);

    private final ConcurrentSkipListSet<Entry> byExpiry = new ConcurrentSkipListSet<>(ORDER);
    private final Map<String, Instant> expiryOf = new ConcurrentHashMap<>();

    /** Records the account's current expiry; null when it holds no access token. */
    void update(String account, Instant expiresAt) {
        Instant key = expiresAt == null ? NO_TOKEN : expiresAt;
        expiryOf.compute(account, (a, previous) -> {
            if (previous != null) {
                byExpiry.remove(new Entry(previous, a));
            }
            byExpiry.add(new Entry(key, a));
            return key;
        });
    }

    /** Records a stored account's expiry unless the account told the index its own meanwhile, which is newer. */
    void offer(String account, Instant expiresAt) {
        Instant key = expiresAt == null ? NO_TOKEN : expiresAt;
        expiryOf.computeIfAbsent(account, a -> {
            byExpiry.add(new Entry(key, a));
            return key;
        });
    }

    boolean contains(String account) {
        return expiryOf.containsKey(account);
    }

    /** The accounts whose token is missing or expires before {@code limit}, soonest first. */
    List<String> dueBefore(Instant limit) {
        List<String> due = new ArrayList<>();
        for (Entry entry : byExpiry.headSet(new Entry(limit, ""), false)) {
            due.add(entry.account());
        }
        return due;
    }

    int size() {
        return expiryOf.size();
    }
}
