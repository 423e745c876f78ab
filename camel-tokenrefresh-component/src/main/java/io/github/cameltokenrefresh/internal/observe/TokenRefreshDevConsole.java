package io.github.cameltokenrefresh.internal.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.RunningProviders;
import io.github.cameltokenrefresh.internal.account.LeaseActivity;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * Providers and accounts with expiry, last refresh, counts and last error, the refresh lease (this instance as its
 * owner, the leases it holds or waits for), the refresh backlog and pool, the token endpoint's pause; never a token.
 * Accounts come a page at a time ({@link AccountPage}: options offset, limit, account, state), with the
 * re-authorization link of those only their owner can save (dead, or the refresh token near its end).
 */
@DevConsole(name = "tokenrefresh", displayName = "Token Refresh", description = "OAuth2 tokens kept fresh by tokenrefresh")
public class TokenRefreshDevConsole extends AbstractDevConsole {

    public TokenRefreshDevConsole() {
        super("camel", "tokenrefresh", "Token Refresh", "OAuth2 tokens kept fresh by tokenrefresh");
    }

    private Map<String, Provider> providers() {
        RunningProviders registry = RunningProviders.find(getCamelContext());
        return registry == null ? Map.of() : registry.byName();
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (Provider provider : providers().values()) {
            sb.append(String.format("Provider: %s (store: %s)%n", provider.name(), provider.store()));
            LeaseActivity leases = provider.leases();
            Map<String, LeaseActivity.Held> held = held(leases);
            Map<String, LeaseActivity.Awaited> awaited = awaited(leases);
            sb.append(String.format("    Refresh Lease: owner %s (%s), %d held, %d awaited%n", leases.owner(),
                                    leases.shared() ? "the store's, shared" : "this JVM only", held.size(),
                                    awaited.size()));
            RefreshPoolLoad pool = RefreshPoolLoad.of(provider.executor());
            sb.append(String.format("    Refresh Backlog: %d due, %d refreshing, %d queued (%d threads)%n",
                                    provider.refreshBacklog(), pool.active(), pool.queued(), pool.threads()));
            if (provider.tokenEndpointPausedUntil() != null) {
                sb.append(String.format("    Token endpoint paused until %s (%s)%n", provider.tokenEndpointPausedUntil(),
                                        provider.tokenEndpointPauseError()));
            }
            AccountPage page = AccountPage.of(provider, options);
            sb.append(String.format("    %s%n", page.describe()));
            for (AccountStatus s : page.shown()) {
                sb.append(String.format("    Account: %s%n", s.account()));
                LeaseActivity.Held h = held.get(s.account());
                if (h != null) {
                    sb.append(String.format("        Lease: held by this instance since %s (until %s)%n", h.acquiredAt(),
                                            h.until()));
                }
                LeaseActivity.Awaited a = awaited.get(s.account());
                if (a != null) {
                    sb.append(String.format("        Lease: waiting since %s for %s (holding it since %s)%n",
                                            a.waitingSince(), a.holder() == null ? "another instance" : a.holder(),
                                            a.holderSince()));
                }
                sb.append(String.format("        State: %s%n", s.state()));
                sb.append(String.format("        Expires At: %s%n", s.expiresAt() == null ? "no access token" : s.expiresAt()));
                sb.append(String.format("        Last Refresh: %s%n", s.lastRefreshAt() == null ? "none since start" : s.lastRefreshAt()));
                if (s.refreshTokenIssuedAt() != null) {
                    sb.append(String.format("        Refresh Token Since: %s (age %s)%n", s.refreshTokenIssuedAt(),
                                            java.time.Duration.between(s.refreshTokenIssuedAt(), s.at())
                                                    .withNanos(0)));
                }
                if (s.refreshTokenExpiresAt() != null) {
                    sb.append(String.format("        Refresh Token Expires At: %s%n", s.refreshTokenExpiresAt()));
                }
                sb.append(String.format("        Token Calls: %d, Refreshes: %d, Failures: %d%n", s.tokenCalls(),
                                        s.refreshes(), s.failures()));
                if (s.adoptedRefreshes() + s.leaseWaits() + s.interruptedLeases() > 0) {
                    sb.append(String.format("        Refresh Lease: %d adopted, %d waits, %d interrupted%n",
                                            s.adoptedRefreshes(), s.leaseWaits(), s.interruptedLeases()));
                }
                if (s.lastErrorType() != null) {
                    sb.append(String.format("        Last Error: %s at %s (%s)%n", s.lastErrorType(), s.lastFailureAt(),
                                            s.nextAttemptAt() != null ? "next attempt " + s.nextAttemptAt()
                                                    : s.state() == TokenState.DEAD ? "re-authorize"
                                                    : "no attempt scheduled"));
                }
                String link = needsOwner(s) ? provider.reauthorizationUrl(s.account()) : null;
                if (link != null) {
                    sb.append(String.format("        Re-authorize: %s%n", link));
                }
            }
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (Provider provider : providers().values()) {
            JsonObject p = new JsonObject();
            p.put("provider", provider.name());
            p.put("store", String.valueOf(provider.store()));
            LeaseActivity leases = provider.leases();
            Map<String, LeaseActivity.Held> held = held(leases);
            Map<String, LeaseActivity.Awaited> awaited = awaited(leases);
            p.put("leaseOwner", leases.owner());
            p.put("leaseShared", leases.shared());
            p.put("leasesHeld", held.size());
            p.put("leasesAwaited", awaited.size());
            RefreshPoolLoad pool = RefreshPoolLoad.of(provider.executor());
            p.put("refreshBacklog", provider.refreshBacklog());
            p.put("refreshesActive", pool.active());
            p.put("refreshesQueued", pool.queued());
            p.put("refreshThreads", pool.threads());
            Instant paused = provider.tokenEndpointPausedUntil();
            p.put("tokenEndpointPausedUntil", paused == null ? null : paused.toString());
            p.put("tokenEndpointError", provider.tokenEndpointPauseError());
            List<JsonObject> accounts = new ArrayList<>();
            AccountPage page = AccountPage.of(provider, options);
            p.put("accountsTotal", page.total());
            p.put("accountsMatching", page.matching());
            p.put("offset", page.offset());
            p.put("limit", page.limit());
            for (AccountStatus s : page.shown()) {
                JsonObject a = new JsonObject();
                a.put("account", s.account());
                LeaseActivity.Held h = held.get(s.account());
                LeaseActivity.Awaited w = awaited.get(s.account());
                if (h != null) {
                    a.put("leaseHeldBy", leases.owner());
                    a.put("leaseHeldSince", h.acquiredAt().toString());
                } else if (w != null) {
                    a.put("leaseHeldBy", w.holder());
                    a.put("leaseHeldSince", w.holderSince() == null ? null : w.holderSince().toString());
                    a.put("leaseWaitingSince", w.waitingSince().toString());
                }
                a.put("state", s.state().name());
                a.put("expiresAt", s.expiresAt() == null ? null : s.expiresAt().toString());
                a.put("lastRefreshAt", s.lastRefreshAt() == null ? null : s.lastRefreshAt().toString());
                a.put("lastFailureAt", s.lastFailureAt() == null ? null : s.lastFailureAt().toString());
                a.put("lastErrorType", s.lastErrorType());
                a.put("refreshTokenIssuedAt",
                      s.refreshTokenIssuedAt() == null ? null : s.refreshTokenIssuedAt().toString());
                a.put("refreshTokenExpiresAt",
                      s.refreshTokenExpiresAt() == null ? null : s.refreshTokenExpiresAt().toString());
                a.put("nextAttemptAt", s.nextAttemptAt() == null ? null : s.nextAttemptAt().toString());
                a.put("tokenCalls", s.tokenCalls());
                a.put("refreshes", s.refreshes());
                a.put("failures", s.failures());
                a.put("adoptedRefreshes", s.adoptedRefreshes());
                a.put("leaseWaits", s.leaseWaits());
                a.put("interruptedLeases", s.interruptedLeases());
                if (needsOwner(s)) {
                    a.put("authorizationUrl", provider.reauthorizationUrl(s.account()));
                }
                accounts.add(a);
            }
            p.put("accounts", accounts);
            list.add(p);
        }
        root.put("providers", list);
        return root;
    }

    private static Map<String, LeaseActivity.Held> held(LeaseActivity leases) {
        Map<String, LeaseActivity.Held> byAccount = new HashMap<>();
        leases.held().forEach(h -> byAccount.put(h.account(), h));
        return byAccount;
    }

    private static Map<String, LeaseActivity.Awaited> awaited(LeaseActivity leases) {
        Map<String, LeaseActivity.Awaited> byAccount = new HashMap<>();
        leases.awaited().forEach(a -> byAccount.put(a.account(), a));
        return byAccount;
    }

    /** Dead, or its refresh token nearly spent: only its owner can help, with a fresh link. */
    private static boolean needsOwner(AccountStatus s) {
        return s.state() == TokenState.DEAD || s.refreshTokenExpiring();
    }
}
