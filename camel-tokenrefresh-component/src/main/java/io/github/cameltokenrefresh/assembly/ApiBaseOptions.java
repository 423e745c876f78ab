package io.github.cameltokenrefresh.assembly;

import java.util.ArrayList;
import java.util.List;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.catalog.CatalogEntry;
import io.github.cameltokenrefresh.internal.AccountApiBase;
import io.github.cameltokenrefresh.internal.InvalidOption;

/**
 * Reads the {@code apiBase} option into the provider's {@link AccountApiBase}, or null. Unset, it is the preset's API,
 * when the provider talks to the preset's own token endpoint: a provider whose {@code tokenUrl} points elsewhere (a
 * sandbox, a mock, a proxy) is not assumed to call the vendor's production API.
 */
final class ApiBaseOptions {

    private ApiBaseOptions() {
    }

    /** The option's value, else the preset's API base when the token URL is the preset's own, else null. */
    static String value(TokenRefreshConfiguration config, CatalogEntry preset) {
        String value = config.getApiBase();
        if (value == null && !preset.apiBase().isEmpty()
            && (config.getTokenUrl() == null || config.getTokenUrl().trim().equals(preset.tokenUrl()))) {
            value = String.join(",", preset.apiBase());
        }
        return value;
    }

    static AccountApiBase read(String name, TokenRefreshConfiguration config, CatalogEntry preset) {
        String value = value(config, preset);
        if (value == null) {
            return null;
        }
        List<String> templates = new ArrayList<>();
        for (String part : value.split(",")) {
            String template = part.trim();
            if (template.isEmpty()) {
                continue;
            }
            try {
                AccountApiBase.check(template, config.isInsecureHttp());
            } catch (IllegalArgumentException e) {
                throw InvalidOption.of(name, "apiBase", e.getMessage());
            }
            templates.add(template);
        }
        if (templates.isEmpty()) {
            throw InvalidOption.of(name, "apiBase", "names no URL; leave it unset for the preset's API, or give one or"
                                                    + " more https:// URLs, comma separated");
        }
        return new AccountApiBase(templates, config.isInsecureHttp());
    }
}
