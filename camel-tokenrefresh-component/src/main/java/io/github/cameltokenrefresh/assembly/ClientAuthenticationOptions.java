package io.github.cameltokenrefresh.assembly;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Dpop;
import io.github.cameltokenrefresh.internal.wire.ClientAssertion;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.JwtBearer;

/**
 * Reads how the client proves who it is (client id and secret, auth key, signed JWTs, the TLS client certificate),
 * the JWT bearer grant's assertion and DPoP: every option a method needs is checked, and an option no configured
 * method uses is refused, each error naming its option.
 */
final class ClientAuthenticationOptions {

    private ClientAuthenticationOptions() {
    }

    static ClientCredentials credentials(String name, TokenRefreshConfiguration config, ClientAuthentication method) {
        ClientCredentials credentials
                = new ClientCredentials(config.getClientId(), config.getClientSecret(), config.getAuthKey());
        boolean hasPair = notBlank(config.getClientId()) && notBlank(config.getClientSecret());
        switch (method) {
            case basic:
                if (!hasPair && !notBlank(config.getAuthKey())) {
                    String missing = notBlank(config.getClientId()) ? "clientSecret" : "clientId";
                    throw InvalidOption.of(name, missing, "is required: clientAuthentication=basic needs clientId and "
                                                          + "clientSecret, or authKey");
                }
                break;
            case post:
            case client_secret_jwt:
                if (!hasPair) {
                    String missing = notBlank(config.getClientId()) ? "clientSecret" : "clientId";
                    throw InvalidOption.of(name, missing, "is required: clientAuthentication=" + method + " needs"
                                                          + " clientId and clientSecret");
                }
                break;
            case private_key_jwt:
            case tls_client_auth:
            case self_signed_tls_client_auth:
                if (!notBlank(config.getClientId())) {
                    throw InvalidOption.of(name, "clientId", "is required by clientAuthentication=" + method);
                }
                break;
            default:
                break;
        }
        if (method.name().contains("tls_client_auth") && !hasClientCertificate(config)) {
            throw InvalidOption.of(name, "sslContextParameters", "needs key managers (the client certificate and its"
                                                                 + " key) for clientAuthentication=" + method);
        }
        return credentials;
    }

    /** How private_key_jwt and client_secret_jwt sign; null for the other methods. */
    static ClientAssertion clientAssertion(String name, TokenRefreshConfiguration config, ClientAuthentication method,
                                           URI tokenUrl) {
        boolean signs = method == ClientAuthentication.private_key_jwt || method == ClientAuthentication.client_secret_jwt;
        if (!signs) {
            if (config.getClientAssertionAudience() != null) {
                throw InvalidOption.of(name, "clientAssertionAudience", "applies only to clientAuthentication="
                                                                        + "private_key_jwt or client_secret_jwt");
            }
            return null;
        }
        return new ClientAssertion(method == ClientAuthentication.private_key_jwt
                ? SigningKeyOptions.read(name, config, "clientAuthentication=private_key_jwt")
                : SigningKeyOptions.clientSecretKey(name, config.getClientSecret()),
                audience(name, "clientAssertionAudience", config.getClientAssertionAudience(), tokenUrl),
                positive(name, "clientAssertionLifetime", config.getClientAssertionLifetime()));
    }

    /** The JWT bearer grant's settings (fallbackGrant=jwt_bearer). */
    static JwtBearer jwtBearer(String name, TokenRefreshConfiguration config, URI tokenUrl) {
        String issuer = notBlank(config.getJwtBearerIssuer()) ? config.getJwtBearerIssuer().trim() : config.getClientId();
        if (!notBlank(issuer)) {
            throw InvalidOption.of(name, "jwtBearerIssuer", "(or clientId) is required by fallbackGrant=jwt_bearer: the"
                                                            + " assertion's iss claim");
        }
        ClientAssertion assertion = new ClientAssertion(
                SigningKeyOptions.read(name, config, "fallbackGrant=jwt_bearer"),
                audience(name, "jwtBearerAudience", config.getJwtBearerAudience(), tokenUrl),
                positive(name, "jwtBearerLifetime", config.getJwtBearerLifetime()));
        return new JwtBearer(assertion, issuer, blankToNull(config.getJwtBearerSubject()),
                             blankToNull(config.getJwtBearerScope()));
    }

    /** Refuses the JWT bearer grant's options when another fallback grant is configured. */
    static void refuseJwtBearerOptions(String name, TokenRefreshConfiguration config) {
        String[][] options = { { "jwtBearerIssuer", config.getJwtBearerIssuer() },
                               { "jwtBearerSubject", config.getJwtBearerSubject() },
                               { "jwtBearerAudience", config.getJwtBearerAudience() },
                               { "jwtBearerScope", config.getJwtBearerScope() } };
        for (String[] option : options) {
            if (option[1] != null) {
                throw InvalidOption.of(name, option[0], "applies only to fallbackGrant=jwt_bearer");
            }
        }
    }

    /** Refuses the signing key's options when neither private_key_jwt nor the JWT bearer grant uses them. */
    static void refuseUnusedSigningKey(String name, TokenRefreshConfiguration config, boolean used) {
        if (!used && SigningKeyOptions.configured(config)) {
            throw InvalidOption.of(name, config.getSigningKeyFile() != null ? "signingKeyFile" : "signingKeystore",
                                   "is used only by clientAuthentication=private_key_jwt or fallbackGrant=jwt_bearer");
        }
    }

    /** DPoP on token requests, or null without. */
    static Dpop dpop(String name, TokenRefreshConfiguration config) {
        if (!config.isDpop()) {
            if (config.getDpopKeystore() != null) {
                throw InvalidOption.of(name, "dpopKeystore", "applies only with dpop=true");
            }
            return null;
        }
        return new Dpop(SigningKeyOptions.dpopKey(name, config));
    }

    private static boolean hasClientCertificate(TokenRefreshConfiguration config) {
        return config.getSslContextParameters() != null && config.getSslContextParameters().getKeyManagers() != null;
    }

    private static URI audience(String name, String option, String value, URI tokenUrl) {
        if (value == null) {
            return tokenUrl;
        }
        try {
            URI uri = new URI(value.trim());
            if (!uri.isAbsolute()) {
                throw InvalidOption.of(name, option, "must be an absolute URI, was '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw InvalidOption.of(name, option, "is not a valid URI: " + e.getReason());
        }
    }

    private static Duration positive(String name, String option, long millis) {
        if (millis < 1000) {
            throw InvalidOption.of(name, option, "must be at least 1s (the JWT's exp counts seconds), was " + millis
                                                 + " ms");
        }
        return Duration.ofMillis(millis);
    }

    private static String blankToNull(String value) {
        return notBlank(value) ? value.trim() : null;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
