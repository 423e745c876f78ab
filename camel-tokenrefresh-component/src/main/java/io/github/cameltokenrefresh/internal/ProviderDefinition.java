package io.github.cameltokenrefresh.internal;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.crypto.SecretKey;

import io.github.cameltokenrefresh.internal.dpop.DpopKey;
import io.github.cameltokenrefresh.internal.wire.ClientAssertion;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.FallbackGrant;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.internal.wire.UrlTemplate;
import io.github.cameltokenrefresh.store.TokenStore;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * One provider as configured, validated and with its preset applied: everything a provider is built from, and nothing
 * else. Two endpoints describe the same provider exactly when their definitions are equal; {@link #differences} names
 * the options that differ (components are named after the options they hold), never their values.
 *
 * @param fallbackGrant    null without one
 * @param defaultExpiresIn the lifetime assumed when an answer gives none
 * @param authorization    the authorization-code flow that onboards accounts, or null when not configured
 * @param maxAccounts      the most accounts the provider keeps in memory
 * @param apiBase          the provider's API base URL(s), or null when unknown: its tokens then follow the message
 * @param revocationUrl    the RFC 7009 revocation endpoint operation disconnect revokes refresh tokens at, or null
 * @param clientAssertion  how private_key_jwt and client_secret_jwt sign; null for the other methods
 * @param dpop             DPoP on token requests, or null without
 */
public record ProviderDefinition(String name, TokenRequestDialect dialect, ClientCredentials credentials,
                                 FallbackGrant fallbackGrant, Duration defaultExpiresIn, RefreshPolicy policy,
                                 Schedule schedule, HttpSettings http, StoreSettings store,
                                 Authorization authorization, int maxAccounts, AccountApiBase apiBase,
                                 URI revocationUrl, ClientAssertion clientAssertion, Dpop dpop) {

    /** A provider whose API base is unknown, without a revocation endpoint, signed client authentication or DPoP. */
    public ProviderDefinition(String name, TokenRequestDialect dialect, ClientCredentials credentials,
                              FallbackGrant fallbackGrant, Duration defaultExpiresIn, RefreshPolicy policy,
                              Schedule schedule, HttpSettings http, StoreSettings store, Authorization authorization,
                              int maxAccounts) {
        this(name, dialect, credentials, fallbackGrant, defaultExpiresIn, policy, schedule, http, store, authorization,
             maxAccounts, null, null, null, null);
    }

    /**
     * DPoP (RFC 9449) on the provider's token requests.
     *
     * @param dpopKeystore the key from dpopKeystore, or null: a key made when the provider starts, in memory only (two
     *                     URIs declaring the provider agree on that, not on a key)
     */
    public record Dpop(DpopKey dpopKeystore) {
    }

    /**
     * When scheduled and start-up passes run and what they touch.
     *
     * @param refreshCron     a Quartz cron expression, or null
     * @param refreshInterval    zero without an interval schedule
     * @param refreshConcurrency how many refreshes may run at once (background and passes)
     * @param maxTokenCallsPerSecond the most token calls a second for all accounts, 0 for no limit
     * @param keepAliveAge       passes also refresh accounts whose token was issued longer ago; zero when off
     * @param refreshClusterNamespace the cluster namespace whose leader alone runs the schedule, or null: every context
     */
    public record Schedule(String refreshCron, Duration refreshInterval, Duration refreshWindow, boolean refreshOnStart,
                           int refreshConcurrency, double maxTokenCallsPerSecond, Duration keepAliveAge,
                           String refreshClusterNamespace) {

        public boolean isScheduled() {
            return refreshCron != null || !refreshInterval.isZero();
        }
    }

    /**
     * How token calls travel: Camel HTTP options, TLS and timeouts.
     *
     * @param sslContextParameters null for the JVM's default trust
     */
    public record HttpSettings(Map<String, Object> httpOptions, SSLContextParameters sslContextParameters,
                               Duration connectTimeout, Duration responseTimeout) {

        public HttpSettings {
            httpOptions = Map.copyOf(httpOptions);
        }
    }

    /**
     * Where tokens live: a store bean, or the file store of a directory.
     *
     * @param store              the user's store bean, or null for the file store
     * @param storeEncryptionKey the file store's AES key, or null
     */
    public record StoreSettings(TokenStore store, Path storeDirectory, SecretKey storeEncryptionKey,
                                boolean allowExposedStore) {

        /** Never the key. */
        @Override
        public String toString() {
            return "StoreSettings[" + (store != null ? store : storeDirectory)
                   + (storeEncryptionKey == null ? "" : ", encrypted") + "]";
        }
    }

    /**
     * The authorization-code flow (RFC 6749 §4.1, PKCE by RFC 7636) that onboards an account.
     *
     * @param scope    null to request none
     * @param stateSecret the HMAC key signing the state and deriving PKCE verifiers
     * @param providerDisplayName the provider's name on the pages, or null for the provider's name
     * @param callbackPage        the user's page template (a Camel resource), or null for the component's
     * @param callbackMessages    the user's page texts (a Camel resource of properties), or null
     */
    public record Authorization(URI authorizationUrl, URI redirectUri, String scope, boolean pkce, SecretKey stateSecret,
                                Duration stateTtl, UrlTemplate authorizationUrlTemplate,
                                Map<String, String> parameters, List<String> callbackAttributes,
                                String providerDisplayName, String callbackPage, String callbackMessages) {

        /**
         * @param authorizationUrl         the URL, or the sample of a template (its placeholders replaced by their names)
         * @param authorizationUrlTemplate the URL as written, filled per account from its attributes
         * @param parameters               extra parameters of the link (Google's access_type=offline)
         * @param callbackAttributes       callback query parameters kept as account attributes (QuickBooks' realmId)
         */
        public Authorization {
            parameters = Map.copyOf(parameters);
            callbackAttributes = List.copyOf(callbackAttributes);
        }

        /** One authorization URL for every account, no extra parameters, no callback attributes, our own pages. */
        public Authorization(URI authorizationUrl, URI redirectUri, String scope, boolean pkce, SecretKey stateSecret,
                             Duration stateTtl) {
            this(authorizationUrl, redirectUri, scope, pkce, stateSecret, stateTtl,
                 UrlTemplate.parse(authorizationUrl.toString()), Map.of(), List.of(), null, null, null);
        }

        /** Never the key. */
        @Override
        public String toString() {
            return "Authorization[" + authorizationUrl + ", redirectUri=" + redirectUri + ", pkce=" + pkce + "]";
        }
    }

    /** The options whose values differ between the two definitions, in declaration order. */
    public List<String> differences(ProviderDefinition other) {
        List<String> names = new ArrayList<>();
        collectDifferences(this, other, names);
        return names;
    }

    private static void collectDifferences(Record left, Record right, List<String> names) {
        for (RecordComponent component : left.getClass().getRecordComponents()) {
            Object a = value(component, left);
            Object b = value(component, right);
            if (a instanceof Record nestedA && b instanceof Record nestedB) {
                collectDifferences(nestedA, nestedB, names);
            } else if (!Objects.equals(a, b)) {
                if (a instanceof Record || b instanceof Record) {
                    // one side has the part (a fallback grant), the other has none: name the part's options
                    for (RecordComponent part : (a != null ? a : b).getClass().getRecordComponents()) {
                        names.add(part.getName());
                    }
                } else {
                    names.add(component.getName());
                }
            }
        }
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }

    /** Secrets are part of the definition, so nothing of it but the name is printed. */
    @Override
    public String toString() {
        return "ProviderDefinition[" + name + "]";
    }
}
