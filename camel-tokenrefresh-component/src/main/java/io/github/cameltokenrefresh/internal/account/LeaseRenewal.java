package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.RefreshLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the refresh leases this instance holds renewed while their holders work (token call, save): a live holder
 * keeps its lease however long its token call lasts, up to its whole work time; a holder that stops renewing (killed,
 * paused, cut off from the store) loses it one TTL after its last renewal, by the store's clock. Renewals run on one
 * daemon thread per provider, which exists only while leases are held and ends at {@link #close()}.
 */
final class LeaseRenewal {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewal.class);

    /** One held lease: its latest renewal and when (System.nanoTime) the statement that confirmed it was sent. */
    private static final class Renewed {
        final long takenNanos;
        volatile RefreshLease lease;
        volatile long confirmedNanos;

        Renewed(RefreshLease lease, long takenNanos) {
            this.lease = lease;
            this.takenNanos = takenNanos;
            this.confirmedNanos = takenNanos;
        }
    }

    private final RefreshLeases leases;
    private final Duration ttl;
    private final Duration period;
    private final long maxHoldNanos;
    private final Consumer<RefreshLease> renewed;
    private final Map<String, Renewed> renewing = new ConcurrentHashMap<>();
    private final String provider;
    /** Created with the first lease held after start or {@link #close()}. */
    private ScheduledThreadPoolExecutor scheduler;
    private final AtomicLong statements = new AtomicLong();

    /**
     * @param ttl     how long a lease lasts past its last renewal
     * @param period  how often a held lease is renewed: well inside the TTL, so a late renewal or two is harmless
     * @param maxHold the holder's whole work time (rate-limit wait, token call deadline, save): no renewal past it
     * @param renewed hears each renewal, for the views
     */
    LeaseRenewal(String provider, RefreshLeases leases, Duration ttl, Duration period, Duration maxHold,
                 Consumer<RefreshLease> renewed) {
        this.leases = leases;
        this.ttl = ttl;
        this.period = period;
        this.maxHoldNanos = maxHold.toNanos();
        this.renewed = renewed;
        this.provider = provider;
    }

    Duration ttl() {
        return ttl;
    }

    /** Renewal statements run so far (markSending included): for the cost figures. */
    long statements() {
        return statements.get();
    }

    /** Starts renewing a lease just taken; {@code takenNanos}: when the acquiring statement was sent. */
    void start(RefreshLease lease, long takenNanos) {
        Renewed r = new Renewed(lease, takenNanos);
        renewing.put(lease.account(), r);
        schedule(r);
    }

    /** Stops renewing (the lease is about to be saved or released); a renewal in flight is harmless (fenced). */
    void stop(RefreshLease lease) {
        renewing.computeIfPresent(lease.account(), (a, r) -> r.lease.fence() == lease.fence() ? null : r);
    }

    /**
     * Right before the token call: renews the lease now, marking that the refresh token is being sent, so the call
     * starts with a whole TTL ahead (and the renewals keep it) and a successor taking it over learns it is spent.
     *
     * @throws LeaseLostException when another owner took it over: nothing may be sent
     */
    RefreshLease beforeSending(RefreshLease lease) {
        long sent = System.nanoTime();
        statements.incrementAndGet();
        RefreshLease marked = leases.markSending(current(lease), ttl);
        confirmed(marked, sent);
        return marked;
    }

    /** Stops every renewal for good: the provider stops. Held leases then end one TTL after their last renewal. */
    synchronized void close() {
        renewing.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private synchronized ScheduledThreadPoolExecutor scheduler() {
        if (scheduler == null) {
            scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "TokenRefreshLeaseRenewal-" + provider);
                t.setDaemon(true);
                return t;
            });
            // the thread ends when no lease has been held for a while, and comes back with the next one
            scheduler.setKeepAliveTime(Math.max(1, period.toMillis() * 5), TimeUnit.MILLISECONDS);
            scheduler.allowCoreThreadTimeOut(true);
            scheduler.setRemoveOnCancelPolicy(true);
        }
        return scheduler;
    }

    private RefreshLease current(RefreshLease lease) {
        Renewed r = renewing.get(lease.account());
        return r != null && r.lease.fence() == lease.fence() ? r.lease : lease;
    }

    private void confirmed(RefreshLease lease, long sentNanos) {
        Renewed r = renewing.get(lease.account());
        if (r != null && r.lease.fence() == lease.fence()) {
            r.lease = lease;
            r.confirmedNanos = sentNanos;
            renewed.accept(lease);
        }
    }

    private void schedule(Renewed r) {
        try {
            scheduler().schedule(() -> renew(r), period.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed while scheduling: the provider stops, the lease ends by itself
        }
    }

    private void renew(Renewed r) {
        RefreshLease lease = r.lease;
        if (renewing.get(lease.account()) != r) {
            return; // saved or released meanwhile
        }
        long sent = System.nanoTime();
        if (sent - r.takenNanos > maxHoldNanos) {
            // past the holder's whole work time it is stuck: let the lease end as a dead holder's would
            renewing.remove(lease.account(), r);
            LOG.warn("tokenrefresh:{} account '{}': the refresh lease (fence {}) was held past the"
                                       + " token call's deadline and the save; no longer renewed, it ends within {}",
                                       lease.provider(), lease.account(), lease.fence(), ttl);
            return;
        }
        if (sent - r.confirmedNanos >= period.toNanos() - period.toNanos() / 10) {
            try {
                statements.incrementAndGet();
                confirmed(leases.renew(lease, ttl), sent);
            } catch (LeaseLostException e) {
                // taken over (we were too late): the fenced save will refuse, nothing else to do here
                renewing.remove(lease.account(), r);
                return;
            } catch (RuntimeException e) {
                // the store did not answer: try again next period; the lease ends by itself if this lasts
                LOG.debug("tokenrefresh:{} account '{}': cannot renew the refresh lease ({})",
                                            lease.provider(), lease.account(), e.getMessage());
            }
        }
        schedule(r);
    }
}
