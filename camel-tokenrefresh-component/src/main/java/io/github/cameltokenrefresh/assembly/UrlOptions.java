package io.github.cameltokenrefresh.assembly;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.catalog.CatalogEntry;
import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.wire.UrlTemplate;

/** Reads tokenUrl and refreshUrl: the user's, else the preset's; templates checked on their samples. */
final class UrlOptions {

    private UrlOptions() {
    }

    static UrlTemplate tokenUrl(String name, TokenRefreshConfiguration config, CatalogEntry preset) {
        String value = config.getTokenUrl() != null ? config.getTokenUrl() : preset.tokenUrl();
        if (value == null || value.isBlank()) {
            throw InvalidOption.of(name, "tokenUrl", "is required (preset " + preset.name() + " has no default token URL)");
        }
        return url(name, "tokenUrl", value, config);
    }

    /** Null when refreshes go to the token URL; a user's tokenUrl replaces the vendor's pair. */
    static UrlTemplate refreshUrl(String name, TokenRefreshConfiguration config, CatalogEntry preset) {
        String value = config.getRefreshUrl() != null ? config.getRefreshUrl()
                : config.getTokenUrl() != null ? null : preset.refreshUrl();
        return value == null ? null : url(name, "refreshUrl", value, config);
    }

    /** A token or refresh URL, a template when it names account attributes; its scheme and host checked on its sample. */
    static UrlTemplate url(String name, String option, String value, TokenRefreshConfiguration config) {
        UrlTemplate template;
        try {
            template = UrlTemplate.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw InvalidOption.of(name, option, e.getMessage());
        }
        URI uri;
        try {
            uri = new URI(template.sample());
        } catch (URISyntaxException e) {
            throw InvalidOption.of(name, option, "is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw InvalidOption.of(name, option, "must be an absolute http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw InvalidOption.of(name, option, "must not carry credentials; use clientId/clientSecret or authKey");
        }
        if (scheme.equals("http") && !config.isInsecureHttp()) {
            throw InvalidOption.of(name, option, "uses http://, which sends refresh tokens and client secrets in clear "
                                            + "text; use https, or set insecureHttp=true for local testing");
        }
        return template;
    }
}
