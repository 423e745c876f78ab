package io.github.cameltokenrefresh.dialect;

/**
 * The grant a provider may run unattended when the refresh token is dead or missing (option fallbackGrant): none,
 * the resource owner password grant (RFC 6749 §4.3, Newsletter2Go's documented authentication), client credentials
 * (§4.4) or the JWT bearer grant (RFC 7523 §2.1: Salesforce server-to-server, Google service accounts).
 */
public enum FallbackGrantType {
    none,
    password,
    client_credentials,
    jwt_bearer
}
