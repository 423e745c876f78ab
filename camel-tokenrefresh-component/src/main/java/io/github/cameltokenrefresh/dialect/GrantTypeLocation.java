package io.github.cameltokenrefresh.dialect;

/** Where the grant type travels: with the other parameters, or as an HTTP header (some partner APIs). */
public enum GrantTypeLocation {
    body,
    header
}
