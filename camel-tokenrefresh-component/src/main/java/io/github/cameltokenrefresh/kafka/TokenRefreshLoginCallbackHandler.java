package io.github.cameltokenrefresh.kafka;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;

import io.github.cameltokenrefresh.assembly.StartedComponents;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.Token;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensions;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's {@code sasl.login.callback.handler.class} for SASL/OAUTHBEARER, answering with the access token of a
 * tokenrefresh provider and account that a Camel context in this JVM runs: Kafka creates it by class name, so the
 * {@code sasl.jaas.config} options name them ({@code provider}, {@code account}, {@code camelContext} when the JVM
 * runs several contexts; {@code principal}; {@code extension_<name>} for SASL extensions). The token comes through the
 * account's usual path: one refresh shared with every caller, the store, the replicas' lease.
 * <p>
 * Kafka re-logs in once a fraction ({@code sasl.login.refresh.window.factor}) of the token's lifetime has passed; a
 * token past that point is renewed here before it is handed over (once, whichever client asks first), so the
 * connections Kafka re-authenticates from then on carry a new token. Nothing here is secret: the JAAS options hold
 * names only, and the token object never prints its value.
 */
public class TokenRefreshLoginCallbackHandler implements AuthenticateCallbackHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefreshLoginCallbackHandler.class);
    private static final String CONTEXT_OPTION = "the " + SaslConfigs.SASL_JAAS_CONFIG + " option "
                                                 + LoginOptions.CAMEL_CONTEXT;

    private final Clock clock;
    private LoginOptions options;
    /** The component whose provider this handler holds, and the account; changed under this handler's lock. */
    private StartedComponents.Lender lender;
    private AccountTokens tokens;

    /** Kafka creates it by class name. */
    public TokenRefreshLoginCallbackHandler() {
        this(Clock.systemUTC());
    }

    /** With the clock of the component's providers, for tests that move time. */
    TokenRefreshLoginCallbackHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        if (!OAuthBearerLoginModule.OAUTHBEARER_MECHANISM.equals(saslMechanism)) {
            throw new ConfigException(SaslConfigs.SASL_MECHANISM, saslMechanism,
                                      getClass().getName() + " serves " + OAuthBearerLoginModule.OAUTHBEARER_MECHANISM
                                                                  + " only");
        }
        options = LoginOptions.read(configs, jaasConfigEntries);
        try {
            tokens(); // a wrong context or provider fails as the client is created, not at its first re-login
        } catch (IllegalStateException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof OAuthBearerTokenCallback tokenCallback) {
                handleToken(tokenCallback);
            } else if (callback instanceof SaslExtensionsCallback extensionsCallback) {
                extensionsCallback.extensions(new SaslExtensions(options.extensions()));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private void handleToken(OAuthBearerTokenCallback callback) {
        try {
            AccountTokens account = tokens();
            Token token = account.token();
            if (insideKafkaWindow(token)) {
                // a re-login: this token is what Kafka wants replaced; renewed once, whoever asks first
                token = account.refreshIfCurrent(token.getAccessToken());
            }
            callback.token(new AccountBearerToken(token, options.principal() != null ? options.principal()
                    : options.account()));
            LOG.debug("Kafka login: provider {}, account {}: token until {}", options.provider(), options.account(),
                      token.getExpiresAt());
        } catch (RuntimeException e) {
            // a typed token failure, a context gone, a provider misconfigured: their messages hold no secret. Kafka
            // logs the description and fails the login (the first one: the client; a re-login: retried in 10 s)
            callback.error(e.getClass().getSimpleName(), e.getMessage(), null);
        }
    }

    /** Whether Kafka's re-login window of this token has begun: Kafka asks again only once it has. */
    private boolean insideKafkaWindow(Token token) {
        long issued = token.getIssuedAt().toEpochMilli();
        long lifetime = token.getExpiresAt().toEpochMilli() - issued;
        return clock.millis() >= issued + (long) (lifetime * options.windowFactor());
    }

    /** The account, through the component started in the named context; held again if that context restarted. */
    private synchronized AccountTokens tokens() {
        StartedComponents.Lender current = StartedComponents.lender(options.camelContext(), CONTEXT_OPTION);
        if (current != lender) {
            releaseHeld();
            tokens = current.hold(options.provider(), this).account(options.account());
            lender = current;
        }
        return tokens;
    }

    private void releaseHeld() {
        if (lender != null) {
            lender.release(options.provider(), this);
            lender = null;
            tokens = null;
        }
    }

    @Override
    public synchronized void close() {
        releaseHeld();
    }
}
