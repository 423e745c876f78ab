package io.github.cameltokenrefresh.internal.account;

import io.github.cameltokenrefresh.internal.call.TokenRevocation;
import io.github.cameltokenrefresh.internal.call.TokenRevocation.Outcome;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.AccountDisconnectedException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disconnecting one account, run in its single flight's exclusive slot (no refresh under way, none begins): revoke the
 * newest refresh token known (the store's, which another replica may have rotated, else the one in memory), delete the
 * record (gone for every replica), and leave the account refusing tokens until one is saved again. And the other side:
 * a disconnected account that finds a record again was onboarded meanwhile (here or on another replica).
 */
final class AccountDisconnect {

    private static final Logger LOG = LoggerFactory.getLogger(AccountDisconnect.class);

    private AccountDisconnect() {
    }

    static Outcome run(AccountTokenCache cache, TokenRevocation revocation) {
        AccountEnvironment env = cache.env();
        String account = cache.account();
        AccountState s = cache.loaded();
        StoredToken stored = env.persistence().load(account);
        String refreshToken = newestRefreshToken(s, stored);
        // a failed revocation throws: nothing is deleted, the operator may disconnect again
        Outcome outcome = revocation.revoke(account, refreshToken);
        env.persistence().delete(account);
        cache.commit(current -> current.disconnected(new AccountDisconnectedException(env.provider(), account),
                                                     refreshToken));
        String message = switch (outcome) {
            case REVOKED -> "disconnected: refresh token revoked at " + revocation.url() + ", record deleted";
            case NO_ENDPOINT -> "disconnected: record deleted; the refresh token was NOT revoked (the provider has no"
                                + " revocation endpoint: set revocationUrl or issuer), it stays valid at the provider"
                                + " until it expires";
            default -> "disconnected: record deleted; there was no refresh token to revoke";
        };
        if (outcome == Outcome.NO_ENDPOINT && refreshToken != null) {
            LOG.warn("tokenrefresh:{} account '{}': {}", env.provider(), account, message);
        } else {
            LOG.info("tokenrefresh:{} account '{}': {}", env.provider(), account, message);
        }
        env.observer().onEvent(new TokenEvent(TokenEvent.Type.DISCONNECTED, env.provider(), account,
                                              env.clock().instant(), null, null, null, message));
        return outcome;
    }

    /**
     * For a disconnected account: whether a token was saved for it again since (onboarded on this or another replica);
     * if so, the account takes it and is healthy again. One store read, only on a refused call.
     */
    static boolean reconnected(AccountTokenCache cache) {
        AccountState s = cache.state();
        StoredToken stored = cache.env().persistence().load(cache.account());
        if (stored == null || !s.isDisconnected()) {
            return false;
        }
        return cache.commit(s.epoch(), current -> current.withToken(stored.token(), cache.policy())
                .withStoredVersion(stored.version()).healthy()) != null;
    }

    private static String newestRefreshToken(AccountState s, StoredToken stored) {
        if (s.unsaved() != null && s.unsaved().getRefreshToken() != null) {
            return s.unsaved().getRefreshToken();
        }
        if (stored != null && stored.version() >= s.storedVersion() && stored.token().getRefreshToken() != null) {
            return stored.token().getRefreshToken();
        }
        Token held = s.token();
        return held == null ? null : held.getRefreshToken();
    }
}
