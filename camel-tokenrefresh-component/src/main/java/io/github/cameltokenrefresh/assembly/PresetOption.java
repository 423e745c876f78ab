package io.github.cameltokenrefresh.assembly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.catalog.CatalogEntry;
import io.github.cameltokenrefresh.catalog.CatalogException;
import io.github.cameltokenrefresh.catalog.ProviderCatalog;
import io.github.cameltokenrefresh.internal.InvalidOption;

/** Reads preset and providerCatalog: the catalog entry whose defaults fill the options left unset. */
final class PresetOption {

    static final String DEFAULT = "oauth2";

    private PresetOption() {
    }

    static CatalogEntry read(String name, TokenRefreshConfiguration config) {
        ProviderCatalog catalog;
        String location = config.getProviderCatalog();
        try {
            catalog = location == null || location.isBlank()
                    ? ProviderCatalog.shipped() : ProviderCatalog.withUserCatalog(location.trim());
        } catch (CatalogException e) {
            throw InvalidOption.of(name, "providerCatalog", "is not usable: " + e.getMessage());
        }
        String preset = config.getPreset() == null || config.getPreset().isBlank() ? DEFAULT : config.getPreset().trim();
        CatalogEntry entry = catalog.entry(preset);
        if (entry == null) {
            List<String> close = new ArrayList<>();
            for (CatalogEntry known : catalog.entries()) {
                if (distance(known.name(), preset.toLowerCase(Locale.ROOT)) <= 2) {
                    close.add(known.name());
                }
            }
            throw InvalidOption.of(name, "preset", "names no entry of the provider catalog: '" + preset + "'"
                                                   + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close))
                                                   + "? The shipped entries are listed in docs/providers.md;"
                                                   + " providerCatalog adds your own");
        }
        return entry;
    }

    /** Edit distance, for the names a typo was meant to be. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()];
    }

    /**
     * The parameters of every token call: the preset's, the scope when the preset sends it on refresh (the user's
     * scope, else the preset's), then the user's param.* options, which win.
     */
    static Map<String, String> parameters(CatalogEntry preset, TokenRefreshConfiguration config) {
        Map<String, String> parameters = new LinkedHashMap<>(preset.parameters());
        String scope = config.getScope() == null || config.getScope().isBlank() ? preset.scope() : config.getScope().trim();
        if (preset.scopeOnRefresh() && scope != null) {
            parameters.put("scope", scope);
        }
        return merged(parameters, config.getParameters());
    }

    /** The preset's values, then the user's, which win. */
    static Map<String, String> merged(Map<String, String> preset, Map<String, Object> user) {
        Map<String, String> merged = new LinkedHashMap<>(preset);
        if (user != null) {
            user.forEach((k, v) -> merged.put(k, v == null ? "" : v.toString()));
        }
        return merged;
    }
}
