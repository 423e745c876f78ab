package io.github.cameltokenrefresh.token;

/**
 * The account was disconnected (operation {@code disconnect}, on this or another replica): its refresh token revoked
 * where the provider offers revocation and its record deleted, so no token is handed out until it is onboarded again
 * (the authorization-code flow, or a refresh with header {@code CamelTokenRefreshRefreshToken}). An
 * {@link InvalidGrantException}: whoever handles a dead refresh token (re-authorization) handles this one too.
 */
public class AccountDisconnectedException extends InvalidGrantException {

    public AccountDisconnectedException(String provider, String account) {
        super(provider, account, 0, "disconnected");
    }

    @Override
    public String getMessage() {
        return "tokenrefresh:" + getProvider() + " account '" + getAccount() + "': disconnected (its refresh token"
               + " revoked, its record deleted); onboard it again (authorization-code flow, or the refresh operation"
               + " with header CamelTokenRefreshRefreshToken)";
    }

    @Override
    public String getErrorType() {
        return "disconnected";
    }
}
