package io.github.cameltokenrefresh.testing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.github.cameltokenrefresh.testing.DialectWireFormat.Grant;
import io.github.cameltokenrefresh.testing.ScriptedTokenFailures.Failure;

/**
 * The token state of a {@link StrictTokenServer}: which refresh tokens are valid, used (rotated away) or revoked, the
 * families rotation links them into, and the access tokens issued with their expiry. Every read-modify-write runs
 * under one lock, so concurrent refreshes with one rotating refresh token yield exactly one success.
 */
final class RotatingTokenIssuer {

    /** What a refresh produced: tokens, or the scripted failure answered in their place (nothing consumed). */
    record Outcome(IssuedTokens tokens, Failure failure) {
    }

    private enum RefreshState { VALID, USED, REVOKED }

    private final ScriptedTokenFailures failures;
    private final Object lock = new Object();
    private final Map<String, RefreshState> refreshTokens = new LinkedHashMap<>(); // guarded by lock
    /** Each refresh token's family: the refresh token it descends from by rotation (itself for a root). */
    private final Map<String, String> familyOf = new LinkedHashMap<>(); // guarded by lock
    private final Map<String, Instant> accessTokenExpiry = new LinkedHashMap<>(); // value null: never expires
    private final Set<String> revokedAccessTokens = new LinkedHashSet<>(); // guarded by lock
    private final List<String> issuedAccessTokens = new ArrayList<>(); // guarded by lock
    private final List<String> issuedRefreshTokens = new ArrayList<>(); // guarded by lock
    private final AtomicInteger successfulRefreshes = new AtomicInteger();
    private final AtomicInteger familyRevocations = new AtomicInteger();

    // configuration: volatile so tests may change it while the server runs
    private volatile boolean rotate;
    private volatile boolean revokeFamilyOnReuse;
    private volatile boolean omitRefreshToken;
    private volatile Long expiresIn;
    private volatile Clock clock = Clock.systemUTC();

    RotatingTokenIssuer(ScriptedTokenFailures failures, boolean rotate, Long expiresIn) {
        this.failures = failures;
        this.rotate = rotate;
        this.expiresIn = expiresIn;
    }

    void rotate(boolean rotate) {
        this.rotate = rotate;
    }

    void revokeFamilyOnReuse(boolean revoke) {
        this.revokeFamilyOnReuse = revoke;
    }

    void omitRefreshToken(boolean omit) {
        this.omitRefreshToken = omit;
    }

    void expiresIn(Long seconds) {
        this.expiresIn = seconds;
    }

    void clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Clock clock() {
        return clock;
    }

    /**
     * Checks the refresh token, then answers the next scripted failure or issues tokens; atomic per refresh token.
     *
     * @param invalidGrantDescription turns the reason a refresh token is refused into the dialect's error text
     */
    Outcome refresh(Grant grant, UnaryOperator<String> invalidGrantDescription) throws TokenRequestRejected {
        synchronized (lock) {
            RefreshState state = refreshTokens.get(grant.refreshToken());
            if (state == RefreshState.USED && revokeFamilyOnReuse) {
                revokeFamily(grant.refreshToken());
            }
            if (state != RefreshState.VALID) {
                String reason = state == null ? "refresh token unknown"
                        : state == RefreshState.USED ? "refresh token was already used (rotated away)"
                        : "refresh token was revoked";
                throw new TokenRequestRejected(400, "invalid_grant", invalidGrantDescription.apply(reason), reason);
            }
            Failure failure = failures.next();
            if (failure != null) {
                return new Outcome(null, failure);
            }
            Instant now = clock.instant();
            Long lifetime = expiresIn;
            String accessToken = newAccessToken(now, lifetime);
            String refreshToken = null;
            if (!omitRefreshToken) {
                refreshToken = rotate ? rotate(grant.refreshToken()) : grant.refreshToken();
            }
            successfulRefreshes.incrementAndGet();
            return new Outcome(new IssuedTokens(accessToken, refreshToken, lifetime, now, grant.scope()), null);
        }
    }

    /** RFC 9700 §4.14.2: a rotated-away refresh token presented again revokes its whole family. */
    private void revokeFamily(String reused) {
        String family = familyOf.getOrDefault(reused, reused);
        familyOf.forEach((rt, root) -> {
            if (root.equals(family)) {
                refreshTokens.put(rt, RefreshState.REVOKED);
            }
        });
        refreshTokens.put(family, RefreshState.REVOKED);
        familyRevocations.incrementAndGet();
    }

    private String rotate(String used) {
        refreshTokens.put(used, RefreshState.USED);
        String next = newRefreshToken();
        familyOf.put(next, familyOf.getOrDefault(used, used));
        return next;
    }

    private String newRefreshToken() {
        String rt = "rt-" + UUID.randomUUID();
        refreshTokens.put(rt, RefreshState.VALID);
        issuedRefreshTokens.add(rt);
        return rt;
    }

    void addRefreshToken(String refreshToken) {
        synchronized (lock) {
            refreshTokens.remove(refreshToken); // re-adding makes it the newest
            refreshTokens.put(Objects.requireNonNull(refreshToken, "refreshToken"), RefreshState.VALID);
        }
    }

    String issueRefreshToken() {
        synchronized (lock) {
            return newRefreshToken();
        }
    }

    String issueAccessToken() {
        synchronized (lock) {
            return newAccessToken(clock.instant(), expiresIn);
        }
    }

    private String newAccessToken(Instant now, Long lifetime) {
        String accessToken = "at-" + UUID.randomUUID();
        accessTokenExpiry.put(accessToken, lifetime == null ? null : now.plusSeconds(lifetime));
        issuedAccessTokens.add(accessToken);
        return accessToken;
    }

    void revokeRefreshToken(String rt) {
        synchronized (lock) {
            refreshTokens.put(rt, RefreshState.REVOKED);
        }
    }

    void revokeAccessToken(String accessToken) {
        synchronized (lock) {
            revokedAccessTokens.add(accessToken);
        }
    }

    /** Issued, not revoked, and not expired by the issuer's clock. */
    boolean isAccessTokenValid(String accessToken) {
        if (accessToken == null) {
            return false;
        }
        synchronized (lock) {
            if (!accessTokenExpiry.containsKey(accessToken) || revokedAccessTokens.contains(accessToken)) {
                return false;
            }
            Instant expiry = accessTokenExpiry.get(accessToken);
            return expiry == null || clock.instant().isBefore(expiry);
        }
    }

    /** The newest valid refresh token, or null. */
    String currentRefreshToken() {
        synchronized (lock) {
            String newest = null;
            for (Map.Entry<String, RefreshState> e : refreshTokens.entrySet()) {
                if (e.getValue() == RefreshState.VALID) {
                    newest = e.getKey();
                }
            }
            return newest;
        }
    }

    List<String> issuedAccessTokens() {
        synchronized (lock) {
            return List.copyOf(issuedAccessTokens);
        }
    }

    List<String> issuedRefreshTokens() {
        synchronized (lock) {
            return List.copyOf(issuedRefreshTokens);
        }
    }

    int successfulRefreshes() {
        return successfulRefreshes.get();
    }

    int familyRevocations() {
        return familyRevocations.get();
    }
}
