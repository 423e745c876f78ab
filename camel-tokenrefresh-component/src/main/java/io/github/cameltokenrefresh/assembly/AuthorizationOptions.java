package io.github.cameltokenrefresh.assembly;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.catalog.CatalogEntry;
import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Authorization;
import io.github.cameltokenrefresh.internal.wire.UrlTemplate;

/**
 * Reads the options of the authorization-code flow. The flow is on when the user sets redirectUri or
 * authorizationUrl: a preset's authorization URL alone enables nothing, so an existing provider keeps starting.
 */
final class AuthorizationOptions {

    /** HMAC-SHA256 wants a key as long as its output; shorter keys are guessable offline from one signed state. */
    static final int MIN_STATE_SECRET_BYTES = 32;
    /** Never kept as attributes: the code is a secret, and the others are the flow's. */
    private static final Set<String> RESERVED_CALLBACK_PARAMETERS = Set.of("code", "state", "error", "error_description");

    private AuthorizationOptions() {
    }

    /** The flow, or null when not configured. */
    static Authorization read(String name, TokenRefreshConfiguration config, CatalogEntry preset) {
        if (blank(config.getRedirectUri()) && blank(config.getAuthorizationUrl())) {
            if (!blank(config.getStateSecret())) {
                throw InvalidOption.of(name, "stateSecret", "applies only to the authorization-code flow; set redirectUri"
                                                         + " (and authorizationUrl) to enable it");
            }
            return null;
        }
        String url = !blank(config.getAuthorizationUrl()) ? config.getAuthorizationUrl() : preset.authorizationUrl();
        if (blank(url)) {
            throw InvalidOption.of(name, "authorizationUrl", "is required by the authorization-code flow (preset "
                                                             + preset.name() + " has no default authorization URL)");
        }
        UrlTemplate template;
        try {
            template = UrlTemplate.parse(url.trim());
        } catch (IllegalArgumentException e) {
            throw InvalidOption.of(name, "authorizationUrl", e.getMessage());
        }
        URI authorizationUrl = url(name, "authorizationUrl", template.sample());
        if (authorizationUrl.getScheme().equalsIgnoreCase("http") && !config.isInsecureHttp()) {
            throw InvalidOption.of(name, "authorizationUrl", "uses http://; use https, or set insecureHttp=true for"
                                                             + " local testing");
        }
        if (blank(config.getRedirectUri())) {
            throw InvalidOption.of(name, "redirectUri", "is required with authorizationUrl: the callback URL registered"
                                                        + " with the provider");
        }
        URI redirectUri = url(name, "redirectUri", config.getRedirectUri());
        if (redirectUri.getScheme().equalsIgnoreCase("http") && !config.isInsecureHttp() && !loopback(redirectUri)) {
            throw InvalidOption.of(name, "redirectUri", "uses http:// to a non-loopback host, which sends the code in"
                                                        + " clear text; use https, or set insecureHttp=true for local"
                                                        + " testing");
        }
        if (blank(config.getClientId())) {
            throw InvalidOption.of(name, "clientId", "is required by the authorization-code flow (the authorization"
                                                     + " URL names the client)");
        }
        if (blank(config.getStateSecret())) {
            throw InvalidOption.of(name, "stateSecret", "is required by the authorization-code flow: a secret of at least "
                                                     + MIN_STATE_SECRET_BYTES + " bytes that signs the state");
        }
        byte[] key = config.getStateSecret().getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_STATE_SECRET_BYTES) {
            throw InvalidOption.of(name, "stateSecret", "must be at least " + MIN_STATE_SECRET_BYTES + " bytes, was "
                                                     + key.length);
        }
        if (config.getStateTtl() <= 0) {
            throw InvalidOption.of(name, "stateTtl", "must be a positive duration, was " + config.getStateTtl() + " ms");
        }
        String scope = blank(config.getScope()) ? preset.scope() : config.getScope().trim();
        return new Authorization(authorizationUrl, redirectUri, scope, config.isPkce(),
                                 new SecretKeySpec(key, "HmacSHA256"), Duration.ofMillis(config.getStateTtl()), template,
                                 PresetOption.merged(preset.authorizationParameters(), config.getAuthorizationParameters()),
                                 callbackAttributes(name, config.getCallbackAttributes(), preset),
                                 blank(config.getProviderDisplayName()) ? displayName(preset) : config.getProviderDisplayName().trim(),
                                 blank(config.getCallbackPage()) ? null : config.getCallbackPage().trim(),
                                 blank(config.getCallbackMessages()) ? null : config.getCallbackMessages().trim());
    }

    private static List<String> callbackAttributes(String name, String value, CatalogEntry preset) {
        List<String> names = new ArrayList<>();
        if (value == null) {
            names.addAll(preset.callbackAttributes());
        } else {
            for (String attribute : value.split(",")) {
                String trimmed = attribute.trim();
                if (!trimmed.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
                    throw InvalidOption.of(name, "callbackAttributes", "must be comma-separated parameter names, was '"
                                                                       + trimmed + "'");
                }
                if (RESERVED_CALLBACK_PARAMETERS.contains(trimmed)) {
                    throw InvalidOption.of(name, "callbackAttributes", "must not name '" + trimmed + "': the code,"
                                                                       + " state and error are the flow's own");
                }
                names.add(trimmed);
            }
        }
        return names;
    }

    private static URI url(String name, String option, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw InvalidOption.of(name, option, "is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw InvalidOption.of(name, option, "must be an absolute http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw InvalidOption.of(name, option, "must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw InvalidOption.of(name, option, "must not have a fragment (RFC 6749 §3.1)");
        }
        return uri;
    }

    private static boolean loopback(URI uri) {
        String host = uri.getHost();
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // literal addresses only: no DNS lookup at route start
        if (host.matches("[0-9.]+") || host.startsWith("[")) {
            try {
                return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The catalog's name of the vendor (AWeber, Salesforce) for the pages; none for plain OAuth 2.0. */
    private static String displayName(CatalogEntry preset) {
        return "oauth2".equals(preset.name()) ? null : preset.displayName();
    }
}
