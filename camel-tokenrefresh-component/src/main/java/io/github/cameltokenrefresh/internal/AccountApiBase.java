package io.github.cameltokenrefresh.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cameltokenrefresh.token.Token;

/**
 * A provider's API base URL(s) as configured, and an account's as filled in: a {@code {name}} placeholder takes the
 * value kept with the account's record under that name. Where those values come from is {@link #valueOf}, the one
 * place that knows: the account's attributes (a catalog entry keeps Salesforce {@code instance_url} as
 * {@code instanceUrl}), else the fields of its token answer beyond RFC 6749, kept in its record with the token.
 * <p>
 * Immutable; equal when configured alike (two endpoint URIs agree). Filling in for an account costs nothing on the
 * hot path: the last token's bases are kept until the token changes.
 */
public final class AccountApiBase {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private final List<String> templates;
    private final boolean allowHttp;
    private final boolean perAccount;
    /** The bases when no template has a placeholder, else null. */
    private final List<ApiBaseUrl> fixed;

    /** Every template must have passed {@link #check}. */
    public AccountApiBase(List<String> templates, boolean allowHttp) {
        this.templates = List.copyOf(templates);
        this.allowHttp = allowHttp;
        this.perAccount = this.templates.stream().anyMatch(t -> PLACEHOLDER.matcher(t).find());
        this.fixed = perAccount ? null : this.templates.stream().map(t -> ApiBaseUrl.parse(t, allowHttp)).toList();
    }

    /**
     * Fails with the reason when {@code template} can be no API base, whatever an account's values: its placeholders
     * are tried with a host that always parses.
     */
    public static void check(String template, boolean allowHttp) {
        Matcher m = PLACEHOLDER.matcher(template);
        String sample = m.find() && m.start() == 0 ? m.replaceFirst("https://placeholder.invalid") : template;
        ApiBaseUrl.parse(PLACEHOLDER.matcher(sample).replaceAll("placeholder"), allowHttp);
    }

    /** Whether the bases differ per account (a template has a placeholder). */
    public boolean perAccount() {
        return perAccount;
    }

    /** The bases of the provider when they are the same for every account, else null. */
    public List<ApiBaseUrl> fixed() {
        return fixed;
    }

    /**
     * The account's bases from its current token: a template whose placeholder has no value, or whose filled value is
     * no valid base, is left out (so calls are not decorated there).
     */
    public List<ApiBaseUrl> forAccount(Token token) {
        if (!perAccount) {
            return fixed;
        }
        List<ApiBaseUrl> bases = new ArrayList<>(templates.size());
        for (String template : templates) {
            String filled = fill(template, token);
            if (filled != null) {
                try {
                    bases.add(ApiBaseUrl.parse(filled, allowHttp));
                } catch (IllegalArgumentException e) {
                    // the token answer named something that is no API base: no decoration there
                }
            }
        }
        return List.copyOf(bases);
    }

    private static String fill(String template, Token token) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = token == null ? null : valueOf(m.group(1), token);
            if (value == null || value.isBlank()) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(stripTrailingSlash(value.trim())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The value kept with the account's record under {@code name}: the one lookup the placeholders use. An account
     * attribute (set from the answer by {@code attributeFields}, kept across refreshes) first, else a field of the
     * last token answer of that name.
     */
    static String valueOf(String name, Token token) {
        String attribute = token.getAttribute(name);
        if (attribute != null) {
            return attribute;
        }
        Map<String, Object> fields = token.getAdditionalFields();
        Object value = fields == null ? null : fields.get(name);
        return value instanceof String s ? s : null;
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountApiBase other && templates.equals(other.templates) && allowHttp == other.allowHttp;
    }

    @Override
    public int hashCode() {
        return templates.hashCode() * 31 + Boolean.hashCode(allowHttp);
    }

    @Override
    public String toString() {
        return String.join(",", templates);
    }
}
