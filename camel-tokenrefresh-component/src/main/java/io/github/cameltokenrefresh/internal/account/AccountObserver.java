package io.github.cameltokenrefresh.internal.account;

import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEvent;

/** What a provider learns from its accounts: their events, and each change of the token they hand out. */
public interface AccountObserver {

    void onEvent(TokenEvent event);

    /**
     * The token the account hands out changed (refreshed, loaded, invalidated). Called under the account's lock, so
     * calls for one account arrive in order.
     *
     * @param previous null when none was held
     * @param current  null when none is held now
     */
    void onTokenChanged(AccountTokenCache account, Token previous, Token current);
}
