package io.github.cameltokenrefresh.dialect;

/** How the client proves who it is to the token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuthentication {
    /** Authorization: Basic base64(clientId:clientSecret), or the given authKey as is. */
    basic,
    /** client_id and client_secret as request parameters. */
    post,
    /** No client authentication (public clients, partner APIs that identify the caller by a header). */
    none
}
