package io.github.cameltokenrefresh.internal.authorize;

/**
 * What the callback answers the browser.
 *
 * @param account the account connected or failed, or null when the state was refused
 * @param html    a small page naming provider and account; never a token, code or verifier
 */
public record CallbackResult(int status, String account, String html) {
}
