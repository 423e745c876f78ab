package io.github.cameltokenrefresh;

/** What a tokenrefresh producer does with the exchange. */
public enum TokenRefreshOperation {
    /** Put the Authorization header (name and prefix configurable) for a valid token on the message. */
    decorate,
    /** Refresh now, whatever the token's state, then decorate. */
    refresh,
    /** Refresh now only if the token is inside its refresh-ahead window or expired, then decorate. */
    refreshIfExpiring,
    /**
     * After an HTTP call with throwExceptionOnFailure=false: if it answered 401, renew the token (refreshing only if
     * nobody did yet) and set header CamelTokenRefreshRenewed to true, so the route can call again.
     */
    refreshIfUnauthorized,
    /** Refresh every account of the provider whose token expires within refreshWindow; the body lists what happened. */
    refreshDue,
    /** Put the access token in the body, for non-HTTP uses, with its metadata in headers. */
    token,
    /** Forget the access token so the next caller refreshes; re-reads the store. */
    invalidate,
    /** Put a fresh authorization link for the account (signed, single-use state) in the body: onboarding. */
    authorizationUrl,
    /**
     * The authorization-code callback, behind platform-http (the tokenrefresh-authorization-callback route template):
     * checks the state, exchanges the code, saves the tokens and answers a small HTML page.
     */
    authorizationCallback,
    /**
     * Disconnect the account: revoke its refresh token at the provider's revocation endpoint (RFC 7009; revocationUrl
     * or discovered), delete its record from the store (for every replica), emit a disconnected event. The body says
     * what was done; header CamelTokenRefreshRevoked is true when the provider confirmed the revocation. The account
     * then refuses tokens (AccountDisconnectedException) until it is onboarded again.
     */
    disconnect
}
