package io.github.cameltokenrefresh.route;

import io.github.cameltokenrefresh.token.Token;

/**
 * RFC 6750 §2.1: {@code Authorization: Bearer <token>}, with the header's name and prefix as the endpoint options
 * {@code headerName} and {@code headerPrefix} say. Keeps the last token's header value, so a request costs no string.
 */
public final class BearerPresentation implements TokenPresentation {

    /** {@code Authorization: Bearer}: what send-time decoration presents. */
    public static final BearerPresentation DEFAULT = new BearerPresentation("Authorization", "Bearer ");

    private record Value(Token token, String header) {
    }

    private final String headerName;
    private final String prefix;
    private volatile Value last;

    /** {@code prefix} as written before the token, its separating space included ("" for the bare token). */
    public BearerPresentation(String headerName, String prefix) {
        this.headerName = headerName;
        this.prefix = prefix;
    }

    @Override
    public void present(String method, String url, Token token, Headers headers) {
        headers.set(headerName, value(token));
    }

    /** The header value for {@code token}. */
    public String value(Token token) {
        Value cached = last;
        if (cached == null || cached.token() != token) {
            cached = new Value(token, prefix + token.getAccessToken());
            last = cached;
        }
        return cached.header();
    }

    @Override
    public String tokenHeader() {
        return headerName;
    }

    public String prefix() {
        return prefix;
    }

    /** Never a token. */
    @Override
    public String toString() {
        return "BearerPresentation[" + headerName + "]";
    }
}
