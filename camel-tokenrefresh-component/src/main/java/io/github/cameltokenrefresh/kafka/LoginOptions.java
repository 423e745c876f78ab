package io.github.cameltokenrefresh.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * What the Kafka login callback handler is told, read once as Kafka configures it: the options of the one JAAS login
 * module entry (they name a provider and account, never a secret) and Kafka's own re-login window factor. Every error
 * names the option.
 */
record LoginOptions(String camelContext, String provider, String account, String principal,
        Map<String, String> extensions, double windowFactor) {

    static final String PROVIDER = "provider";
    static final String ACCOUNT = "account";
    static final String CAMEL_CONTEXT = "camelContext";
    static final String PRINCIPAL = "principal";
    /** The prefix of a SASL extension, as Kafka's own login module spells it (RFC 7628 key-value pairs). */
    static final String EXTENSION_PREFIX = "extension_";
    static final String DEFAULT_ACCOUNT = "default";

    private static final Set<String> KNOWN = Set.of(PROVIDER, ACCOUNT, CAMEL_CONTEXT, PRINCIPAL);
    /** RFC 7628 section 3.1: a key is letters only, a value printable ASCII or whitespace; "auth" is the token's own. */
    private static final Pattern EXTENSION_KEY = Pattern.compile("[A-Za-z]+");
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x7E \\t\\r\\n]+");

    static LoginOptions read(Map<String, ?> configs, List<AppConfigurationEntry> jaasConfigEntries) {
        if (jaasConfigEntries == null || jaasConfigEntries.size() != 1) {
            throw new ConfigException(SaslConfigs.SASL_JAAS_CONFIG, null,
                                      "expected exactly one login module entry (OAuthBearerLoginModule) naming the"
                                                                          + " tokenrefresh provider, found "
                                                                          + (jaasConfigEntries == null
                                                                                  ? 0 : jaasConfigEntries.size()));
        }
        Map<String, ?> options = jaasConfigEntries.get(0).getOptions();
        Map<String, String> extensions = new LinkedHashMap<>();
        for (Map.Entry<String, ?> option : options.entrySet()) {
            String key = option.getKey();
            if (key.startsWith(EXTENSION_PREFIX)) {
                extensions.put(extensionKey(key), extensionValue(key, option.getValue()));
            } else if (!KNOWN.contains(key)) {
                // a typo would otherwise silently fall back to a default (the account, the only context)
                throw jaasError(key, "is not an option of " + TokenRefreshLoginCallbackHandler.class.getName()
                                     + " (options: " + PROVIDER + ", " + ACCOUNT + ", " + CAMEL_CONTEXT + ", "
                                     + PRINCIPAL + ", " + EXTENSION_PREFIX + "<name>)");
            }
        }
        String provider = text(options, PROVIDER);
        if (provider == null) {
            throw jaasError(PROVIDER, "is required: the name of the tokenrefresh provider whose token Kafka sends, as"
                                      + " in " + PROVIDER + "=\"keycloak\"");
        }
        String account = text(options, ACCOUNT);
        return new LoginOptions(text(options, CAMEL_CONTEXT), provider, account != null ? account : DEFAULT_ACCOUNT,
                                text(options, PRINCIPAL), Map.copyOf(extensions), windowFactor(configs));
    }

    private static String extensionKey(String option) {
        String key = option.substring(EXTENSION_PREFIX.length());
        if (!EXTENSION_KEY.matcher(key).matches() || "auth".equals(key)) {
            throw jaasError(option, "names a SASL extension that is not letters only, or is the reserved auth");
        }
        return key;
    }

    private static String extensionValue(String option, Object value) {
        String text = String.valueOf(value);
        if (!EXTENSION_VALUE.matcher(text).matches()) {
            throw jaasError(option, "has a value that is not printable ASCII (RFC 7628)");
        }
        return text;
    }

    private static String text(Map<String, ?> options, String key) {
        Object value = options.get(key);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            throw jaasError(key, "is empty");
        }
        return text;
    }

    /** Kafka re-logs in once this fraction of a token's lifetime has passed (plus up to its jitter). */
    private static double windowFactor(Map<String, ?> configs) {
        Object value = configs == null ? null : configs.get(SaslConfigs.SASL_LOGIN_REFRESH_WINDOW_FACTOR);
        if (value == null) {
            return SaslConfigs.DEFAULT_LOGIN_REFRESH_WINDOW_FACTOR;
        }
        return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
    }

    private static ConfigException jaasError(String option, String problem) {
        return new ConfigException("The " + SaslConfigs.SASL_JAAS_CONFIG + " option " + option + " " + problem);
    }
}
