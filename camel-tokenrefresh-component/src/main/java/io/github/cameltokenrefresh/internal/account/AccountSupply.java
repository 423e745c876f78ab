package io.github.cameltokenrefresh.internal.account;

import java.util.Map;

import io.github.cameltokenrefresh.internal.account.SingleFlight.Flight;
import io.github.cameltokenrefresh.internal.call.TokenRevocation;
import io.github.cameltokenrefresh.token.Token;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reaches an account from outside a refresh: a refresh token or an authorization's token pair a person brought,
 * attributes, a disconnect. Each runs in the account's single-flight slot, exclusively: a refresh under way ends
 * first, and none begins before this is saved (it would save its token over it).
 */
final class AccountSupply {

    /** The account's log category: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(AccountTokenCache.class);

    private final AccountTokenCache cache;
    private final SingleFlight flights;

    AccountSupply(AccountTokenCache cache, SingleFlight flights) {
        this.cache = cache;
        this.flights = flights;
    }

    /** Saves the attributes with the token as it is; keeps its tokens and its state. */
    void attributes(Map<String, String> attributes) {
        Flight mine = flights.exclusive();
        try {
            Token updated = AccountAttributes.withAttributes(cache.loaded().token(), attributes,
                                                             cache.env().clock().instant());
            long version = cache.env().persistence().save(cache.account(), updated);
            cache.commit(s -> s.withToken(updated, cache.policy()).withStoredVersion(version));
        } finally {
            flights.end(mine, null, null);
        }
        LOG.info("tokenrefresh:{} account '{}': attributes {} saved", cache.provider(), cache.account(),
                 attributes.keySet());
    }

    /** Saves a token a person brought (under the refresh lease), and clears failure and dead states. */
    void startOver(Token token, String what) {
        Flight mine = flights.exclusive();
        try {
            // a person's new tokens replace the old ones, not the account's attributes
            Token kept = AccountAttributes.carriedOver(cache.loaded().token(), token);
            long version = cache.env().persistence().save(cache.account(), kept);
            cache.commit(s -> s.withToken(kept, cache.policy()).withStoredVersion(version).withUnsaved(null).healthy());
        } finally {
            flights.end(mine, null, null);
        }
        LOG.info("tokenrefresh:{} account '{}': {}", cache.provider(), cache.account(), what);
    }

    /** See {@link AccountTokenCache#disconnect}: the work is {@link AccountDisconnect}'s. */
    TokenRevocation.Outcome disconnect(TokenRevocation revocation) {
        Flight mine = flights.exclusive();
        try {
            return AccountDisconnect.run(cache, revocation);
        } finally {
            flights.end(mine, null, null);
        }
    }
}
