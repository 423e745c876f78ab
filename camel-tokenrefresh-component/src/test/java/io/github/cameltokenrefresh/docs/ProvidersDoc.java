package io.github.cameltokenrefresh.docs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cameltokenrefresh.catalog.CatalogEntry;
import io.github.cameltokenrefresh.catalog.ProviderCatalog;

/** Renders docs/providers.md from the shipped provider catalog: one row per provider. */
final class ProvidersDoc {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_.-]*)}");

    private ProvidersDoc() {
    }

    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Providers\n\n")
                .append("<!-- Generated from camel-tokenrefresh-component/src/main/resources/").append(ProviderCatalog.RESOURCE)
                .append(" by ProvidersDocTest: do not edit by hand. Regenerate with: ")
                .append(ProvidersDocTest.HOW_TO_UPDATE).append(" -->\n\n")
                .append("The provider catalog in the jar: `preset=<name>` fills every option you leave unset from the entry"
                        + " (token and authorization URLs, client authentication, body, scopes and link parameters that"
                        + " obtain a refresh token, answer fields, attributes, lifetimes). Any option you set wins. An"
                        + " account of a provider whose URL names `{attributes}` needs them before its first token call:"
                        + " from the callback, the token answer, or the `CamelTokenRefreshAttributes` header"
                        + " ([dialects](dialects.md#account-attributes-and-per-account-urls)). Add or override entries with"
                        + " `providerCatalog=file:...` ([format](#the-catalog-format)).\n\n")
                .append("Sources: *vendor* rows cite the vendor's page (or a mirror of it) read on the date given;"
                        + " rows citing only Nango's `providers.yaml` were not checked against the vendor's own page:"
                        + " verify before relying on their lifetimes.\n\n")
                .append("| preset | provider | you supply | quirks handled | refresh token | sources |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (CatalogEntry entry : ProviderCatalog.shipped().entries()) {
            md.append("| `").append(entry.name()).append("` | ").append(cell(entry.displayName()))
                    .append(" | ").append(cell(String.join(", ", needs(entry))))
                    .append(" | ").append(cell(String.join(" ", entry.quirks())))
                    .append(" | ").append(cell(policy(entry.refreshToken())))
                    .append(" | ").append(sources(entry)).append(" |\n");
        }
        md.append("\n## The catalog format\n\n")
                .append("A JSON object `{\"providers\": {\"<name>\": {...}}}`; names are lower case. A user catalog's entry"
                        + " with a shipped name overrides only the fields it sets. Every field is checked at route start;"
                        + " an error names the catalog, the entry and the field.\n\n")
                .append("| field | meaning | default |\n| --- | --- | --- |\n")
                .append("| `displayName` | the provider's name | the entry's name |\n")
                .append("| `tokenUrl`, `refreshUrl`, `authorizationUrl` | https URLs; `{name}` placeholders are account"
                        + " attributes | none; `refreshUrl`: `tokenUrl` |\n")
                .append("| `apiBase` | the API's base URLs, templated likewise (for the apiBase option) | none |\n")
                .append("| `clientAuthentication` | `basic`, `post` or `none` | `basic` |\n")
                .append("| `encoding` | `form`, `json` or `query` | `form` |\n")
                .append("| `grantType`, `passwordGrantType` | grant type values | `refresh_token`, `password` |\n")
                .append("| `scope`, `scopeOnRefresh` | the link's scope; whether token calls carry it too | none, false |\n")
                .append("| `parameters`, `authorizationParameters` | extra token-call and link parameters | none |\n")
                .append("| `callbackAttributes` | callback query parameters kept as attributes | none |\n")
                .append("| `attributeFields`, `responseFields` | attribute name / token field to a dotted path of the"
                        + " answer (`accessToken`, `refreshToken`, `expiresIn`, `refreshTokenExpiresIn`) | RFC 6749"
                        + " names |\n")
                .append("| `defaultExpiresIn` | ISO-8601 lifetime when the answer has none | `PT1H` |\n")
                .append("| `refreshToken` | `{rotation: none/rotating/optional, grace, idle, absolute}` (ISO-8601);"
                        + " the tracked lifetime (`refreshTokenLifetime`) is `idle` when rotating, else `absolute` |"
                        + " unknown |\n")
                .append("| `quirks`, `sources` | sentences; `[{url, read: YYYY-MM-DD, confirms}]` | none |\n");
        return md.toString();
    }

    private static List<String> needs(CatalogEntry entry) {
        List<String> needs = new ArrayList<>();
        needs.add(entry.clientAuthentication().name().equals("none") ? "clientId" : "clientId, clientSecret");
        if (entry.tokenUrl() == null) {
            needs.add("tokenUrl");
        }
        Set<String> attributes = new LinkedHashSet<>();
        for (String url : new String[] {entry.tokenUrl(), entry.refreshUrl(), entry.authorizationUrl()}) {
            Matcher m = PLACEHOLDER.matcher(url == null ? "" : url);
            while (m.find()) {
                attributes.add(m.group(1));
            }
        }
        attributes.removeAll(entry.callbackAttributes());
        attributes.forEach(a -> needs.add("attribute `" + a + "`"));
        return needs;
    }

    private static String policy(CatalogEntry.RefreshTokenPolicy policy) {
        StringBuilder s = new StringBuilder(policy.rotation());
        if (policy.grace() != null) {
            s.append(", grace ").append(human(policy.grace()));
        }
        if (policy.idle() != null) {
            s.append(", idle ").append(human(policy.idle()));
        }
        if (policy.absolute() != null) {
            s.append(", absolute ").append(human(policy.absolute()));
        }
        return s.toString();
    }

    private static String human(java.time.Duration d) {
        if (d.toDays() > 0 && d.equals(java.time.Duration.ofDays(d.toDays()))) {
            return d.toDays() + " days";
        }
        return d.toHours() > 0 && d.equals(java.time.Duration.ofHours(d.toHours())) ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    private static String sources(CatalogEntry entry) {
        List<String> links = new ArrayList<>();
        for (CatalogEntry.Source source : entry.sources()) {
            String kind = source.url().contains("NangoHQ/nango") ? "Nango" : "vendor";
            links.add("[" + kind + "](" + source.url() + ") " + source.read());
        }
        return String.join("; ", links);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
