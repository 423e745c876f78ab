package io.github.cameltokenrefresh.internal.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.cameltokenrefresh.store.RefreshLease;

/**
 * The refresh leases of one provider that this instance holds right now, and those it waits for while another
 * instance holds them: what health, console, JMX and metrics show of the lease. Copies owner, fence and times only,
 * never the record a lease carries (it holds the tokens).
 */
public final class LeaseActivity {

    /** A lease this instance holds: since {@code acquiredAt}, until {@code until}, both by the store's clock. */
    public record Held(String account, long fence, Instant acquiredAt, Instant until) {
    }

    /**
     * A refresh of this instance waiting since {@code waitingSince} (this instance's clock) for the lease that
     * {@code holder} took at {@code holderSince} (the store's clock); holder null when the store did not say.
     */
    public record Awaited(String account, String holder, Instant holderSince, Instant waitingSince) {
    }

    private final String owner;
    private final boolean shared;
    private final Function<String, RefreshLease> holders;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Awaited> awaited = new ConcurrentHashMap<>();
    /** The last wait episode logged per account (holder and since when): never logged twice. */
    private final Map<String, String> loggedEpisodes = new ConcurrentHashMap<>();

    LeaseActivity(String owner, boolean shared, Function<String, RefreshLease> holders) {
        this.owner = owner;
        this.shared = shared;
        this.holders = holders;
    }

    /**
     * Who holds the account's lease now, whichever instance, asking the store (one read): for an operator's question,
     * not for views polled often. Read its owner, fence and times only: it carries the stored record. Null when free.
     */
    public RefreshLease holder(String account) {
        return holders.apply(account);
    }

    /** This instance, as the store names lease owners. */
    public String owner() {
        return owner;
    }

    /** Whether the lease is the store's, shared by every process using it, rather than one kept in this JVM. */
    public boolean shared() {
        return shared;
    }

    /** The leases held now, by account. */
    public List<Held> held() {
        List<Held> list = new ArrayList<>(held.values());
        list.sort(Comparator.comparing(Held::account));
        return list;
    }

    /** The leases waited for now, by account. */
    public List<Awaited> awaited() {
        List<Awaited> list = new ArrayList<>(awaited.values());
        list.sort(Comparator.comparing(Awaited::account));
        return list;
    }

    /** The wait for this account's lease now, or null. */
    Awaited awaiting(String account) {
        return awaited.get(account);
    }

    /**
     * Whether this wait is the first for the holder's lease (by holder and since when): one log line per episode,
     * however many refreshes retry meanwhile.
     */
    boolean newEpisode(String account, Awaited wait) {
        String episode = wait.holder() + "@" + wait.holderSince();
        return !episode.equals(loggedEpisodes.put(account, episode));
    }

    void took(RefreshLease lease) {
        held.put(lease.account(), new Held(lease.account(), lease.fence(), lease.acquiredAt(), lease.until()));
    }

    void released(RefreshLease lease) {
        held.computeIfPresent(lease.account(), (a, h) -> h.fence() == lease.fence() ? null : h);
    }

    void waiting(String account, RefreshLease holder, Instant since) {
        awaited.put(account, new Awaited(account, holder == null ? null : holder.owner(),
                                         holder == null ? null : holder.acquiredAt(), since));
    }

    void doneWaiting(String account) {
        awaited.remove(account);
    }
}
