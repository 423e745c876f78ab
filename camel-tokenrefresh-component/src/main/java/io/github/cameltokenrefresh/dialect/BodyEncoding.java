package io.github.cameltokenrefresh.dialect;

/** How the refresh request carries its parameters. */
public enum BodyEncoding {
    /** application/x-www-form-urlencoded body (RFC 6749 §6, AWeber). */
    form,
    /** application/json body (Newsletter2Go, many partner APIs). */
    json,
    /**
     * URL query parameters and an empty body. Puts the refresh token in the URL, where proxies and access logs keep
     * it; use only when a provider accepts nothing else.
     */
    query
}
