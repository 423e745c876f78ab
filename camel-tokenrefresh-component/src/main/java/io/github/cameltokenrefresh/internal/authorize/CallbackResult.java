package io.github.cameltokenrefresh.internal.authorize;

/**
 * What the callback answers the browser: the outcome picks the page the customer sees; the detail is for the operator
 * (logs, tests) and never holds a token, code or verifier.
 *
 * @param account the account connected or failed, or null when the link was not ours
 * @param detail  what happened, in an operator's words
 */
public record CallbackResult(int status, String account, Outcome outcome, String detail) {

    /** The pages a customer can meet, each with its own texts. */
    public enum Outcome {
        /** The code was exchanged and the token pair saved. */
        CONNECTED,
        /** A link that was used already (a reload of the success page) for an account that is connected. */
        ALREADY_CONNECTED,
        /** The customer refused access at the provider. */
        DENIED,
        /** The link's time ran out before it was used. */
        EXPIRED,
        /** Not a link this provider issued, changed, or used before. */
        INVALID,
        /** The token endpoint is paused or rate limited: a new link later. */
        BUSY,
        /** The provider answered an error or the token could not be saved. */
        FAILED;

        /** Its key in the page texts, e.g. {@code already_connected}. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
