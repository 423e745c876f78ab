package io.github.cameltokenrefresh.internal.account;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.github.cameltokenrefresh.store.LeaseLostException;
import io.github.cameltokenrefresh.store.RefreshLease;
import io.github.cameltokenrefresh.store.RefreshLeases;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a provider's tokens reach its store and come back: reads, the refresh lease (the store's own when several
 * processes share it, else one in this JVM), and fenced saves. Store failures become {@link TokenStoreException}s
 * that name the provider, account and store, never a token.
 */
public final class TokenPersistence {

    private static final Logger LOG = LoggerFactory.getLogger(TokenPersistence.class);

    /** This process, as lease owners are named: for forensics only. */
    static final String INSTANCE = ManagementFactory.getRuntimeMXBean().getName() + "/"
                                   + UUID.randomUUID().toString().substring(0, 8);

    /**
     * How long a renewed lease lasts past its last renewal: a successor takes a dead holder's lease over within this
     * (plus its poll), whatever the token call's deadline.
     */
    static final Duration LEASE_TTL = Duration.ofSeconds(4);
    /** How often a holder renews: a renewal or two may be late on a loaded machine before the TTL runs out. */
    static final Duration RENEW_PERIOD = Duration.ofSeconds(1);

    private final String provider;
    private final TokenStore store;
    private final RefreshLeases leases;
    private final boolean shared;
    private final Duration hold;
    private final Duration grace;
    private final LeaseActivity activity;
    /** Null for a store whose leases are not renewed: they are taken for the whole hold instead. */
    private final LeaseRenewal renewal;
    private volatile BooleanSupplier stopping = () -> false;

    /** With the default lease timing: a token call of up to 60 s. */
    public TokenPersistence(String provider, TokenStore store) {
        this(provider, store, Clock.systemUTC(), Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    /**
     * @param hold  the holder's whole work time: the token call's deadline and the save. A renewed lease is renewed
     *              for that long at most; one that is not renewed is taken for that long
     * @param grace for a lease that is not renewed, how long past its end it is left alone, so a slow save is not
     *              overtaken (a renewed lease needs none: its holder renews it during the save)
     */
    public TokenPersistence(String provider, TokenStore store, Clock clock, Duration hold, Duration grace) {
        this(provider, store, clock, hold, grace, LEASE_TTL, RENEW_PERIOD);
    }

    TokenPersistence(String provider, TokenStore store, Clock clock, Duration hold, Duration grace, Duration ttl,
                     Duration renewPeriod) {
        this.provider = provider;
        this.store = store;
        RefreshLeases own = store.leases();
        this.shared = own != null;
        this.leases = own != null ? own : new LocalRefreshLeases(store, clock);
        this.hold = hold;
        this.grace = grace;
        this.activity = new LeaseActivity(INSTANCE, shared, this::holder);
        // a TTL longer than the whole work time would only delay a successor
        this.renewal = leases.renews() ? new LeaseRenewal(provider, leases, ttl.compareTo(hold) < 0 ? ttl : hold,
                                                          renewPeriod, hold, activity::took) : null;
    }

    /**
     * Ends lease waits (with a {@link TokenRefreshException}, within one poll) once this says the application stops,
     * so a graceful shutdown is not held by a wait for another instance's lease.
     */
    public void endWaitsWhen(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    boolean stopping() {
        return stopping.getAsBoolean();
    }

    /** Stops renewing leases and ends the renewal thread: the provider stops. */
    public void close() {
        if (renewal != null) {
            renewal.close();
        }
    }

    /** How long a dead holder keeps the lease: its TTL when renewed, else its hold plus the grace. */
    Duration takeoverAfter() {
        return renewal != null ? renewal.ttl() : hold.plus(grace);
    }

    /** Renewal statements run so far; for the cost figures. */
    long renewalStatements() {
        return renewal == null ? 0 : renewal.statements();
    }

    /** The leases this instance holds and waits for now: for monitoring. */
    public LeaseActivity activity() {
        return activity;
    }

    public TokenStore store() {
        return store;
    }

    /** Whether the store's lease coordinates other processes (not only this JVM). */
    boolean isShared() {
        return shared;
    }

    Duration hold() {
        return hold;
    }

    /** The stored record, or null. */
    StoredToken load(String account) {
        try {
            return store.load(provider, account);
        } catch (RuntimeException e) {
            throw failure(account, "cannot read the token from " + store + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the account's record: for every process sharing the store (a JDBC row is emptied, not dropped). */
    void delete(String account) {
        try {
            store.delete(provider, account);
        } catch (RuntimeException e) {
            throw failure(account, "cannot delete the token record from " + store + ": " + e.getMessage(), e);
        }
    }

    /** The account's lease, or null when another owner holds it. */
    RefreshLease acquire(String account) {
        try {
            long sent = System.nanoTime();
            RefreshLease lease = renewal != null ? leases.acquire(provider, account, INSTANCE, renewal.ttl(), Duration.ZERO)
                    : leases.acquire(provider, account, INSTANCE, hold, grace);
            if (lease != null) {
                activity.took(lease);
                if (renewal != null) {
                    renewal.start(lease, sent);
                }
            }
            return lease;
        } catch (RuntimeException e) {
            throw failure(account, "cannot take the refresh lease in " + store + " (" + e.getMessage()
                                   + "); no refresh without it", e);
        }
    }

    /**
     * Saves a token the provider just issued under the lease, and releases it.
     *
     * @return the version it was saved as
     * @throws LeaseLostException when another owner took the lease over: nothing was written
     */
    long saveAndRelease(RefreshLease lease, Token token) {
        stopRenewing(lease);
        try {
            return leases.saveAndRelease(lease, token).version();
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(lease.account(), "cannot save the token to " + store + " (" + e.getMessage()
                                           + "); it is kept in memory and saving is retried", e);
        } finally {
            // saved and released, lost to another owner, or released by the caller next: no longer ours either way
            activity.released(lease);
        }
    }

    /** Saves a token outside any refresh (a refresh token supplied by a person): under a lease of its own. */
    long save(String account, Token token) {
        RefreshLease lease = acquire(account);
        if (lease == null) {
            throw failure(account, "cannot save the token to " + store + ": another instance is refreshing this"
                                   + " account; try again", null);
        }
        return saveAndRelease(lease, token);
    }

    /** Who holds the account's lease now, or null. */
    RefreshLease holder(String account) {
        try {
            return leases.holder(provider, account);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Releases without saving; a failure to release only delays the next holder until the lease expires. */
    void release(RefreshLease lease) {
        stopRenewing(lease);
        activity.released(lease);
        try {
            leases.release(lease);
        } catch (RuntimeException e) {
            LOG.warn("tokenrefresh:{} account '{}': cannot release the refresh lease ({}); it "
                                       + "expires by itself", provider, lease.account(), e.getMessage());
        }
    }

    /** Records the refused refresh token (its hash) for every owner, and releases. */
    void releaseDead(RefreshLease lease, String refreshToken) {
        stopRenewing(lease);
        activity.released(lease);
        try {
            leases.releaseDead(lease, sha256(refreshToken));
        } catch (RuntimeException e) {
            release(lease);
        }
    }

    /**
     * Right before the token call: the lease must be ours now, with a whole TTL ahead (one renewal, which also tells
     * the store the refresh token is being sent). A lease that is not renewed needs no check: it lasts the whole hold.
     *
     * @throws TokenStoreException when the lease was taken over or the store cannot confirm it: nothing is sent
     */
    void beforeSending(RefreshLease lease) {
        if (renewal == null) {
            return;
        }
        try {
            renewal.beforeSending(lease);
        } catch (LeaseLostException e) {
            throw failure(lease.account(), e.getMessage() + " before the token call; no refresh token was sent", e);
        } catch (RuntimeException e) {
            throw failure(lease.account(), "cannot renew the refresh lease in " + store + " (" + e.getMessage()
                                           + "); no refresh token was sent", e);
        }
    }

    /**
     * The stored refresh token not to send: the one a dead holder had sent (the store knows it, {@link
     * RefreshLease#spent()}), when the store says to mark the account dead rather than send it. Null: go on.
     */
    String spentRefreshTokenNotToSend(RefreshLease lease) {
        if (!lease.spent() || leases.sendsSpentRefreshToken() || lease.current() == null) {
            return null;
        }
        return lease.current().token().getRefreshToken();
    }

    private void stopRenewing(RefreshLease lease) {
        if (renewal != null) {
            renewal.stop(lease);
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private TokenStoreException failure(String account, String message, RuntimeException cause) {
        return new TokenStoreException(provider, account, message, cause);
    }
}
