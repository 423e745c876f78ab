package io.github.cameltokenrefresh;

import org.apache.camel.spi.Metadata;

/** Headers the tokenrefresh producer reads and writes. */
public final class TokenRefreshConstants {

    @Metadata(description = "Overrides the endpoint's operation for this exchange.", javaType = "String")
    public static final String OPERATION = "CamelTokenRefreshOperation";
    @Metadata(description = "Overrides the endpoint's account for this exchange: which of the provider's token sets"
                            + " to use.",
              javaType = "String")
    public static final String ACCOUNT = "CamelTokenRefreshAccount";
    @Metadata(label = "producer", description = "Set by operation disconnect: true when the provider's revocation"
                                                + " endpoint confirmed the refresh token revoked (the body then says"
                                                + " revoked; else no_endpoint or nothing_to_revoke).",
              javaType = "Boolean")
    public static final String REVOKED = "CamelTokenRefreshRevoked";
    @Metadata(description = "With the refresh operation: a new refresh token (after re-authorization) to save and"
                            + " refresh with. Removed from the message once read.",
              javaType = "String", secret = true)
    public static final String REFRESH_TOKEN = "CamelTokenRefreshRefreshToken";
    @Metadata(description = "When the access token expires (refresh, refreshIfExpiring and token operations).",
              javaType = "java.time.Instant")
    public static final String EXPIRES_AT = "CamelTokenRefreshExpiresAt";
    @Metadata(description = "The token_type of the token response (refresh, refreshIfExpiring and token operations).",
              javaType = "String")
    public static final String TOKEN_TYPE = "CamelTokenRefreshTokenType";
    @Metadata(description = "Fields of the token response beyond RFC 6749, such as Newsletter2Go's account_id"
                            + " (refresh, refreshIfExpiring and token operations).",
              javaType = "java.util.Map<String, Object>")
    public static final String ADDITIONAL_FIELDS = "CamelTokenRefreshAdditionalFields";
    @Metadata(description = "The account's attributes (tenant, shop, data centre, instance URL, realm id). Read by the"
                            + " refresh and authorizationUrl operations as a map of names to values to add or replace"
                            + " (a null value removes one), saved with the account before they run, then removed;"
                            + " written by the refresh, refreshIfExpiring and token operations.",
              javaType = "java.util.Map<String, String>")
    public static final String ATTRIBUTES = "CamelTokenRefreshAttributes";

    @Metadata(description = "The account's API base URL (the first, when the provider has several), set with its token by"
                            + " the decorate, refresh and refreshIfExpiring operations (and TokenRefreshProcessor) when"
                            + " the provider has an apiBase: build the HTTP URI from it. Also the exchange property"
                            + " of the same name.",
              javaType = "String")
    public static final String API_BASE = "CamelTokenRefreshApiBase";
    /** The exchange property holding the same value as the {@link #API_BASE} header. */
    public static final String API_BASE_PROPERTY = "CamelTokenRefreshApiBase";

    @Metadata(description = "Set by the refreshIfUnauthorized operation: true when the API had answered 401 and the"
                            + " token on the message was renewed.",
              javaType = "Boolean")
    public static final String RENEWED = "CamelTokenRefreshRenewed";

    @Metadata(label = "consumer", description = "The type of a token event: REFRESHED, REFRESH_FAILED or INVALID_GRANT.",
              javaType = "String")
    public static final String EVENT_TYPE = "CamelTokenRefreshEventType";

    private TokenRefreshConstants() {
    }
}
