package io.github.cameltokenrefresh.token;

import java.util.Map;

/**
 * The tokens of one provider and account: what every tokenrefresh operation runs against. Shared by every endpoint,
 * route and thread naming the provider and account; every method is thread-safe, and concurrent refreshes are one.
 */
public interface AccountTokens {

    String provider();

    String account();

    /** A token fit to send now: the current one when fresh, otherwise one refresh shared with every caller. */
    Token token();

    /** Refreshes now, whatever the state of the current token; joins a refresh already under way. */
    Token refresh();

    /** Refreshes now (waiting) when the token is inside its refresh-ahead window or worse; otherwise returns it. */
    Token refreshIfExpiring();

    /**
     * Refreshes only if {@code rejectedAccessToken} is still the current access token: after a 401, the first caller
     * refreshes and the others, whose requests carried the same stale token, just get the new one.
     */
    Token refreshIfCurrent(String rejectedAccessToken);

    /**
     * Forgets the access token so the next caller refreshes, and clears a failure or dead state; the next access reads
     * the store again, so a refresh token replaced there is picked up.
     */
    void invalidate();

    /**
     * Starts over from a new refresh token (after the user re-authorized): saves it, clears failure and dead states.
     * The next caller refreshes with it.
     */
    void supplyRefreshToken(String refreshToken);

    /**
     * The account's attributes (tenant, shop, data centre, instance URL, realm id): kept with its record, carried over
     * by every refresh; empty when none. Reads the store on first use, as {@link #token()} does, but never refreshes.
     */
    Map<String, String> attributes();

    /**
     * Adds or replaces attributes (a null value removes one) and saves them with the account's record before
     * returning; the tokens stay as they are. Waits for a refresh under way, as a supplied refresh token does.
     */
    void supplyAttributes(Map<String, String> attributes);

    /** What monitoring may see: state, times and counts, never a token. */
    AccountStatus status();
}
