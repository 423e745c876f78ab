package io.github.cameltokenrefresh.dialect;

/** How the client proves who it is to the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2, RFC 8705 §2). */
public enum ClientAuthentication {
    /** Authorization: Basic base64(clientId:clientSecret), or the given authKey as is. */
    basic,
    /** client_id and client_secret as request parameters. */
    post,
    /** No client authentication (public clients, partner APIs that identify the caller by a header). */
    none,
    /** A JWT signed with the client's private key (RFC 7523 section 2.2; OpenID Connect Core section 9). */
    private_key_jwt,
    /** A JWT signed HS256 with the client secret (OpenID Connect Core section 9). */
    client_secret_jwt,
    /** The client certificate of the TLS connection, issued by a CA the server trusts (RFC 8705 section 2.1). */
    tls_client_auth,
    /** The client certificate of the TLS connection, self-signed and registered with the server (RFC 8705 section 2.2). */
    self_signed_tls_client_auth
}
