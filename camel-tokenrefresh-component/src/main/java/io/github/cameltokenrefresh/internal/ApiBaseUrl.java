package io.github.cameltokenrefresh.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One API base URL of a provider, and whether a URL a request goes to lies under it: same scheme, same host (compared
 * as ASCII, case-insensitive, nothing else: {@code api.aweber.com.evil.com} is another host), same port (the scheme's
 * default when none is written) and a path under the base's path on a segment boundary ({@code /1.0} covers
 * {@code /1.0/lists}, not {@code /1.0x}). A URL with credentials in it, a host that is not plain ASCII, or a path with
 * dot segments ({@code /1.0/../admin}, encoded too) is never under a base: when in doubt, the token stays home.
 */
public final class ApiBaseUrl {

    private final String scheme;
    private final String host;
    private final int port;
    /** The base's path without its trailing slash: "" covers every path. */
    private final String path;
    private final String text;

    private ApiBaseUrl(String scheme, String host, int port, String path, String text) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.path = path;
        this.text = text;
    }

    /**
     * The base {@code value} names, or an {@link IllegalArgumentException} saying why it is no API base: not an
     * absolute http(s) URL with an ASCII host, credentials, a query or fragment, dot segments, or http:// while
     * {@code allowHttp} is false.
     */
    public static ApiBaseUrl parse(String value, boolean allowHttp) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + value.trim() + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || asciiHost(uri) == null) {
            throw new IllegalArgumentException("'" + value.trim() + "' must be an absolute http(s) URL with an ASCII host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + uri.getHost() + "...' must be scheme, host, port and path only: no"
                                               + " credentials, query or fragment");
        }
        if (hasDotSegment(uri.getRawPath())) {
            throw new IllegalArgumentException("'" + value.trim() + "' must not have . or .. path segments");
        }
        if (scheme.equals("http") && !allowHttp) {
            throw new IllegalArgumentException("'" + value.trim() + "' uses http://, which sends access tokens in clear"
                                               + " text; use https, or set insecureHttp=true for local testing");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new ApiBaseUrl(scheme, asciiHost(uri), port(scheme, uri.getPort()), path, value.trim());
    }

    /** Whether a request to {@code url} goes to this API: see the class comment. */
    public boolean covers(URI url) {
        if (url == null || url.getScheme() == null || !scheme.equalsIgnoreCase(url.getScheme())
            || url.getRawUserInfo() != null) {
            return false;
        }
        String otherHost = asciiHost(url);
        if (otherHost == null || !host.equals(otherHost) || port != port(scheme, url.getPort())) {
            return false;
        }
        String otherPath = url.getRawPath() == null ? "" : url.getRawPath();
        if (hasDotSegment(otherPath)) {
            return false;
        }
        return path.isEmpty() || otherPath.equals(path) || otherPath.startsWith(path + "/");
    }

    /** Whether a request to {@code url} goes to this API; false for what is not a URL. */
    public boolean covers(String url) {
        try {
            return url != null && covers(new URI(url));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String asciiHost(URI uri) {
        String h = uri.getHost();
        if (h == null || h.isEmpty()) {
            return null;
        }
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) > 0x7e) {
                return null;
            }
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private static int port(String scheme, int port) {
        if (port != -1) {
            return port;
        }
        return scheme.equalsIgnoreCase("https") ? 443 : 80;
    }

    private static boolean hasDotSegment(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** The base as configured (or as filled for an account): a URL, never a secret. */
    @Override
    public String toString() {
        return text;
    }
}
