package io.github.cameltokenrefresh.assembly;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.github.cameltokenrefresh.OptionKeys;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.catalog.CatalogEntry;
import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.FallbackGrantType;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.InvalidOptionException;
import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.internal.ProviderDefinition.HttpSettings;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Schedule;
import io.github.cameltokenrefresh.internal.ProviderDefinition.StoreSettings;
import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.FallbackGrant;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.internal.wire.UrlTemplate;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link TokenRefreshConfiguration} into a {@link ProviderDefinition}: applies the preset, checks every option
 * and names the option in every error, so a wrong configuration fails at route start and says what to fix.
 */
public final class ProviderDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderDefinitions.class);
    /** Spliced into a master: URI, whose namespace ends at the first ':'. */
    private static final Pattern CLUSTER_NAMESPACE = Pattern.compile("[A-Za-z0-9._-]+");

    private ProviderDefinitions() {
    }

    /**
     * The validated definition of provider {@code name}; an error names the option as the bean says it was written,
     * when the bean knows ({@link OptionKeys}: the Spring Boot starter's properties).
     */
    /**
     * Whether the provider bean {@code name} has an API base, its own or its preset's: such a provider decorates calls
     * as they are sent. A wrong preset fails here, naming the option.
     */
    public static boolean hasApiBase(String name, TokenRefreshConfiguration config) {
        return ApiBaseOptions.value(config, PresetOption.read(name, config)) != null;
    }

    public static ProviderDefinition read(String name, TokenRefreshConfiguration config) {
        try {
            return check(name, config);
        } catch (InvalidOptionException e) {
            throw config instanceof OptionKeys keys ? e.named(keys::keyOf) : e;
        }
    }

    private static ProviderDefinition check(String name, TokenRefreshConfiguration config) {
        CatalogEntry preset = PresetOption.read(name, config);
        UrlTemplate tokenUrlTemplate = UrlOptions.tokenUrl(name, config, preset);
        UrlTemplate refreshUrlTemplate = UrlOptions.refreshUrl(name, config, preset);
        URI tokenUrl = URI.create(tokenUrlTemplate.sample());
        BodyEncoding encoding = orDefault(config.getEncoding(), preset.encoding());
        ClientAuthentication clientAuthentication = orDefault(config.getClientAuthentication(), preset.clientAuthentication());
        ClientCredentials credentials = ClientAuthenticationOptions.credentials(name, config, clientAuthentication);

        TokenRequestDialect dialect = new TokenRequestDialect(tokenUrl, encoding,
                nonBlank(name, "grantType", orDefault(config.getGrantType(), preset.grantType())),
                nonBlank(name, "grantTypeField", orDefault(config.getGrantTypeField(), "grant_type")),
                nonBlank(name, "refreshTokenField", orDefault(config.getRefreshTokenField(), "refresh_token")),
                orDefault(config.getGrantTypeLocation(), GrantTypeLocation.body),
                clientAuthentication,
                strings(config.getHeaders()), PresetOption.parameters(preset, config), tokenUrlTemplate,
                refreshUrlTemplate, ResponseFieldOptions.read(name, config, preset));
        if (encoding == BodyEncoding.query) {
            LOG.warn("tokenrefresh:{} uses encoding=query: the refresh token travels in the URL, where proxies, access "
                     + "logs and HTTP client DEBUG logging keep it. Prefer form or json if the provider accepts them.",
                     name);
        }

        Duration defaultExpiresIn = config.getDefaultExpiresIn() != null
                ? positive(name, "defaultExpiresIn", config.getDefaultExpiresIn()) : preset.defaultExpiresIn();
        Duration refreshTokenLifetime = config.getRefreshTokenLifetime() != null
                ? positive(name, "refreshTokenLifetime", config.getRefreshTokenLifetime())
                : preset.refreshToken().trackedLifetime();
        RefreshPolicy policy = new RefreshPolicy(
                notNegative(name, "expiryMargin", config.getExpiryMargin()),
                notNegative(name, "refreshAhead", config.getRefreshAhead()),
                positive(name, "backoffInitialDelay", config.getBackoffInitialDelay()),
                positive(name, "backoffMaxDelay", config.getBackoffMaxDelay()),
                refreshTokenLifetime,
                notNegative(name, "refreshTokenExpiryWarning", config.getRefreshTokenExpiryWarning()),
                config.isRefreshAheadJitter(), 0);
        if (config.getBackoffMaxDelay() < config.getBackoffInitialDelay()) {
            throw InvalidOption.of(name, "backoffMaxDelay", "must not be shorter than backoffInitialDelay");
        }

        rejectConnectionOptions(name, config.getHttpOptions());
        HttpSettings http = new HttpSettings(config.getHttpOptions() == null ? Map.of() : config.getHttpOptions(),
                config.getSslContextParameters(),
                positive(name, "connectTimeout", config.getConnectTimeout()),
                positive(name, "responseTimeout", config.getResponseTimeout()));
        FallbackGrant fallbackGrant = fallbackGrant(name, config, preset, tokenUrl);
        ClientAuthenticationOptions.refuseUnusedSigningKey(name, config,
                clientAuthentication == ClientAuthentication.private_key_jwt
                || fallbackGrant != null && fallbackGrant.jwtBearer() != null);
        return new ProviderDefinition(name, dialect, credentials, fallbackGrant, defaultExpiresIn, policy,
                                      schedule(name, config), http, store(name, config),
                                      AuthorizationOptions.read(name, config, preset), maxAccounts(name, config),
                                      ApiBaseOptions.read(name, config, preset),
                                      config.getRevocationUrl() == null ? null
                                              : URI.create(UrlOptions.url(name, "revocationUrl", config.getRevocationUrl(),
                                                                          config).sample()),
                                      ClientAuthenticationOptions.clientAssertion(name, config, clientAuthentication,
                                                                                  tokenUrl),
                                      ClientAuthenticationOptions.dpop(name, config));
    }

    /** Whether the provider this bean defines has an API base (its own, or its preset's): see {@link ApiBaseOptions}. */
    private static int maxAccounts(String name, TokenRefreshConfiguration config) {
        if (config.getMaxAccounts() < 1) {
            throw InvalidOption.of(name, "maxAccounts", "must be at least 1, was " + config.getMaxAccounts());
        }
        return config.getMaxAccounts();
    }

    private static Schedule schedule(String name, TokenRefreshConfiguration config) {
        if (config.getRefreshCron() != null && config.getRefreshInterval() > 0) {
            throw InvalidOption.of(name, "refreshCron", "and refreshInterval are both set; choose one schedule");
        }
        if (config.getRefreshInterval() < 0) {
            throw InvalidOption.of(name, "refreshInterval", "must not be negative");
        }
        if (config.getRefreshCron() != null && !CronExpression.isValidExpression(config.getRefreshCron())) {
            throw InvalidOption.of(name, "refreshCron", "is not a valid Quartz cron expression: '" + config.getRefreshCron() + "'");
        }
        if (config.getRefreshConcurrency() < 1) {
            throw InvalidOption.of(name, "refreshConcurrency", "must be at least 1, was " + config.getRefreshConcurrency());
        }
        String namespace = config.getRefreshClusterNamespace();
        if (namespace != null && !CLUSTER_NAMESPACE.matcher(namespace).matches()) {
            throw InvalidOption.of(name, "refreshClusterNamespace", "must be letters, digits, '.', '_' or '-', was '"
                                                                   + namespace + "'");
        }
        if (namespace != null && config.getRefreshCron() == null && config.getRefreshInterval() == 0) {
            throw InvalidOption.of(name, "refreshClusterNamespace", "needs a schedule to run: set refreshCron or"
                                                                   + " refreshInterval");
        }
        return new Schedule(config.getRefreshCron() == null ? null : config.getRefreshCron().trim(),
                            Duration.ofMillis(config.getRefreshInterval()),
                            positive(name, "refreshWindow", config.getRefreshWindow()), config.isRefreshOnStart(),
                            config.getRefreshConcurrency(), maxTokenCallsPerSecond(name, config),
                            notNegative(name, "keepAliveAge", config.getKeepAliveAge()), namespace);
    }

    private static double maxTokenCallsPerSecond(String name, TokenRefreshConfiguration config) {
        Double limit = config.getMaxTokenCallsPerSecond();
        if (limit == null) {
            return 0;
        }
        if (limit.isNaN() || limit.isInfinite() || limit <= 0) {
            throw InvalidOption.of(name, "maxTokenCallsPerSecond", "must be a positive number of token calls a second"
                                                                   + " (e.g. 10 or 0.5), was " + limit);
        }
        return limit;
    }

    /**
     * Token calls use their own connection manager (one that never wire-logs secrets), so Camel HTTP options that
     * configure a connection manager would be silently ignored: refuse them and name the option that works.
     */
    private static void rejectConnectionOptions(String name, Map<String, Object> httpOptions) {
        if (httpOptions == null) {
            return;
        }
        Map<String, String> replacements = Map.of(
                "sslContextParameters", "sslContextParameters (without the http. prefix)",
                "x509HostnameVerifier", "sslContextParameters",
                "clientConnectionManager", "nothing: token calls manage their own connections",
                "maxTotalConnections", "refreshConcurrency: token calls use as many connections",
                "connectionsPerRoute", "refreshConcurrency: token calls use as many connections",
                "connectTimeout", "connectTimeout (without the http. prefix)",
                "soTimeout", "responseTimeout",
                "responseTimeout", "responseTimeout (without the http. prefix)");
        for (String key : httpOptions.keySet()) {
            if (replacements.containsKey(key)) {
                throw InvalidOption.of(name, "http." + key, "does not apply to token calls; use " + replacements.get(key));
            }
        }
    }

    private static FallbackGrant fallbackGrant(String name, TokenRefreshConfiguration config, CatalogEntry preset,
                                               URI tokenUrl) {
        FallbackGrantType type = config.getFallbackGrant() == null ? FallbackGrantType.none : config.getFallbackGrant();
        if (type != FallbackGrantType.jwt_bearer) {
            ClientAuthenticationOptions.refuseJwtBearerOptions(name, config);
        }
        switch (type) {
            case password:
                if (!notBlank(config.getUsername())) {
                    throw InvalidOption.of(name, "username", "is required by fallbackGrant=password");
                }
                if (!notBlank(config.getPassword())) {
                    throw InvalidOption.of(name, "password", "is required by fallbackGrant=password");
                }
                return new FallbackGrant(type, preset.passwordGrantType(), config.getUsername(), config.getPassword());
            case client_credentials:
                return new FallbackGrant(type, null, null, null);
            case jwt_bearer:
                return new FallbackGrant(type, null, null, null,
                                         ClientAuthenticationOptions.jwtBearer(name, config, tokenUrl));
            default:
                return null;
        }
    }

    private static StoreSettings store(String name, TokenRefreshConfiguration config) {
        if (config.getStore() != null) {
            if (config.getStoreEncryptionKey() != null) {
                throw InvalidOption.of(name, "storeEncryptionKey", "applies to the default file store only; the store bean "
                                                                   + config.getStore() + " encrypts (or not) by itself");
            }
            return new StoreSettings(config.getStore(), null, null, config.isAllowExposedStore());
        }
        String dir = config.getStoreDirectory();
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("user.home") + "/.camel-tokenrefresh";
        }
        return new StoreSettings(null, Path.of(dir).toAbsolutePath().normalize(), encryptionKey(name, config),
                                 config.isAllowExposedStore());
    }

    private static SecretKey encryptionKey(String name, TokenRefreshConfiguration config) {
        String value = config.getStoreEncryptionKey();
        if (value == null || value.isBlank()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw InvalidOption.of(name, "storeEncryptionKey", "is not Base64");
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw InvalidOption.of(name, "storeEncryptionKey", "must be an AES key of 16, 24 or 32 bytes, was " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }


    private static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> result = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> result.put(k, v == null ? "" : v.toString()));
        }
        return result;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String nonBlank(String name, String option, String value) {
        if (!notBlank(value)) {
            throw InvalidOption.of(name, option, "must not be blank");
        }
        return value;
    }

    private static Duration positive(String name, String option, long millis) {
        if (millis <= 0) {
            throw InvalidOption.of(name, option, "must be a positive duration, was " + millis + " ms");
        }
        return Duration.ofMillis(millis);
    }

    private static Duration notNegative(String name, String option, long millis) {
        if (millis < 0) {
            throw InvalidOption.of(name, option, "must not be negative, was " + millis + " ms");
        }
        return Duration.ofMillis(millis);
    }
}
