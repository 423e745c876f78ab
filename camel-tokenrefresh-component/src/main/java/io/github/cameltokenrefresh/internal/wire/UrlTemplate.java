package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cameltokenrefresh.token.AccountAttributeMissingException;

/**
 * A provider URL whose parts differ per account, {@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token}:
 * each {@code {name}} is filled with the account's attribute of that name. Values are restricted to letters, digits,
 * '.', '_' and '-' (a host label, a tenant id, a data centre), so an attribute never adds a path, query, port or user
 * to the URL the refresh token is sent to.
 */
public final class UrlTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_.-]*)}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._-]+");

    private final String template;
    private final List<String> names;

    private UrlTemplate(String template, List<String> names) {
        this.template = template;
        this.names = List.copyOf(names);
    }

    /**
     * @throws IllegalArgumentException when a brace does not open or close a well-formed {@code {name}}; the message
     *                                  says where
     */
    public static UrlTemplate parse(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            checkNoBrace(template, at, m.start());
            names.add(m.group(1));
            at = m.end();
        }
        checkNoBrace(template, at, template.length());
        return new UrlTemplate(template, names);
    }

    private static void checkNoBrace(String template, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = template.charAt(i);
            if (c == '{' || c == '}') {
                throw new IllegalArgumentException("has '" + c + "' at position " + i + " that is not part of a"
                                                   + " {name} placeholder (a letter, then letters, digits, '.', '_', '-')");
            }
        }
    }

    public boolean isTemplated() {
        return !names.isEmpty();
    }

    /** The attribute names it needs, in order. */
    public List<String> names() {
        return names;
    }

    /** The template with each placeholder replaced by its name: a well-formed URL to check scheme and host on. */
    public String sample() {
        return PLACEHOLDER.matcher(template).replaceAll("$1");
    }

    /** The URL of one account. */
    public URI resolve(String provider, String account, Map<String, String> attributes) {
        if (names.isEmpty()) {
            return URI.create(template);
        }
        StringBuilder url = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String name = m.group(1);
            String value = attributes.get(name);
            if (value == null || value.isBlank()) {
                throw new AccountAttributeMissingException(provider, account, name, "is not set");
            }
            if (!VALUE.matcher(value).matches()) {
                throw new AccountAttributeMissingException(provider, account, name,
                        "holds characters other than letters, digits, '.', '_' and '-'");
            }
            m.appendReplacement(url, Matcher.quoteReplacement(value));
        }
        m.appendTail(url);
        return URI.create(url.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UrlTemplate other && template.equals(other.template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }
}
