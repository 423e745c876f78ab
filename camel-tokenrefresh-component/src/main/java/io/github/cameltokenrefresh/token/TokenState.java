package io.github.cameltokenrefresh.token;

/** The state of one account's token, as health checks, consoles, JMX and metrics show it. */
public enum TokenState {
    /** A token is held and outside its refresh-ahead window. */
    FRESH,
    /** A token is held, still handed out, and due for a background refresh. */
    REFRESH_AHEAD,
    /** No access token is held yet (nothing refreshed since start or since invalidate). */
    NO_TOKEN,
    /** The access token has expired (within the expiry margin) and no refresh has run yet. */
    EXPIRED,
    /** The last refresh failed with a retriable error; backing off. */
    FAILING,
    /** The refresh token was refused (invalid_grant): re-authorization needed. */
    DEAD
}
