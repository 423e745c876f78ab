package io.github.cameltokenrefresh.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.cameltokenrefresh.internal.account.AccountEnvironment;
import io.github.cameltokenrefresh.internal.account.AccountObserver;
import io.github.cameltokenrefresh.internal.account.AccountTokenCache;
import io.github.cameltokenrefresh.internal.account.LeaseActivity;
import io.github.cameltokenrefresh.internal.account.TokenAcquisition;
import io.github.cameltokenrefresh.internal.account.TokenPersistence;
import io.github.cameltokenrefresh.internal.authorize.AuthorizationCodeFlow;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.internal.call.TokenEndpoint;
import io.github.cameltokenrefresh.internal.dpop.DpopKey;
import io.github.cameltokenrefresh.internal.dpop.DpopProofs;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.token.TokenEvent;

/**
 * How one provider's token calls are put together, once: the rate limit, the one {@link TokenEndpoint} its accounts
 * and its code exchange share, the refresh lease's hold, the persistence, and the environment every account gets; and
 * what the views read of them (the endpoint's pause, the leases). Apart from {@link Provider}, which keeps the
 * accounts and the listeners, so a new grant, client authentication or lease setting changes only this assembly.
 */
final class ProviderTokenCalls {

    static final Duration LEASE_SAVE_MARGIN = Duration.ofSeconds(10);
    static final Duration LEASE_GRACE = Duration.ofSeconds(5);

    private final Clock clock;
    private final TokenCallRateLimit rateLimit;
    private final AccountEnvironment environment;
    /** Null unless the authorization-code flow is configured. */
    private final AuthorizationCodeFlow authorization;
    /** Null without DPoP. */
    private final DpopProofs dpop;

    ProviderTokenCalls(ProviderDefinition definition, TokenStore store, TokenClient client, ExecutorService executor,
                       Clock clock, AccountObserver observer, Function<String, AccountTokenCache> accounts,
                       Consumer<TokenEvent> events) {
        this.clock = clock;
        this.rateLimit = new TokenCallRateLimit(definition.name(), definition.schedule().maxTokenCallsPerSecond(), clock);
        // every token call of the provider, the code exchange's too, goes this one way
        this.dpop = dpopProofs(definition.dpop(), clock);
        TokenEndpoint tokenEndpoint = new TokenEndpoint(definition.name(), definition.dialect(),
                ClientAuthenticator.of(definition.dialect().clientAuthentication(), definition.credentials(),
                                       definition.clientAssertion(), clock),
                client, definition.defaultExpiresIn(), clock, rateLimit, new EndpointBackoff(definition.policy()), dpop);
        TokenAcquisition acquisition = new TokenAcquisition(tokenEndpoint, definition.fallbackGrant(),
                                                             definition.authorization() != null);
        // a lease covers the wait for a rate-limit permit, the token call's whole deadline and the save; past it, a
        // grace so a slow save is not overtaken
        Duration hold = rateLimit.callerWait().plus(definition.http().connectTimeout())
                .plus(definition.http().responseTimeout()).plus(LEASE_SAVE_MARGIN);
        TokenPersistence persistence = new TokenPersistence(definition.name(), store, clock, hold, LEASE_GRACE);
        this.environment = new AccountEnvironment(definition.name(), definition.policy(), clock, executor, acquisition,
                                                  persistence, observer);
        this.authorization = definition.authorization() == null ? null
                : new AuthorizationCodeFlow(definition.authorization(), definition.credentials(), tokenEndpoint, clock,
                                            accounts, events);
    }

    /** A configured DPoP key, else one made now that lives as long as this provider. */
    private static DpopProofs dpopProofs(ProviderDefinition.Dpop dpop, Clock clock) {
        if (dpop == null) {
            return null;
        }
        return new DpopProofs(dpop.dpopKeystore() != null ? dpop.dpopKeystore() : DpopKey.generate(), clock);
    }

    /** The provider's DPoP proofs, or null without DPoP. */
    DpopProofs dpop() {
        return dpop;
    }

    TokenCallRateLimit rateLimit() {
        return rateLimit;
    }

    AccountEnvironment environment() {
        return environment;
    }

    AuthorizationCodeFlow authorization() {
        return authorization;
    }

    Instant endpointPausedUntil() {
        return environment.endpointBackoff().pausedUntil(clock.millis());
    }

    String endpointPauseError() {
        return environment.endpointBackoff().pauseErrorType(clock.millis());
    }

    LeaseActivity leases() {
        return environment.persistence().activity();
    }

    void endLeaseWaitsWhen(BooleanSupplier stopping) {
        environment.persistence().endWaitsWhen(stopping);
    }

    /** Ends the lease renewal thread. */
    void close() {
        environment.persistence().close();
    }
}
