package io.github.cameltokenrefresh.token;

/**
 * The provider's token or authorization URL names an account attribute (a tenant, a shop, a data centre) that this
 * account does not have, or has with a value that cannot go into a URL. Nothing was sent. Supply it with the
 * CamelTokenRefreshAttributes header on a refresh or onboard operation, or {@link AccountTokens#supplyAttributes}.
 */
public class AccountAttributeMissingException extends TokenRefreshException {

    private final String attribute;

    public AccountAttributeMissingException(String provider, String account, String attribute, String why) {
        super(provider, account, "account attribute '" + attribute + "' " + why + "; the provider's URL needs it. Supply"
                                 + " it with header CamelTokenRefreshAttributes (a map) on a refresh or onboard operation",
              null);
        this.attribute = attribute;
    }

    /** The attribute the URL needs. */
    public String getAttribute() {
        return attribute;
    }

    @Override
    public String getErrorType() {
        return "missing_account_attribute";
    }
}
