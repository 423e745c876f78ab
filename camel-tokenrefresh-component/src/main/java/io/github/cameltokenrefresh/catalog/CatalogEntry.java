package io.github.cameltokenrefresh.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;

/**
 * One provider of the catalog, as validated: the defaults a {@code preset=<name>} fills into the options the user left
 * unset. URLs may name account attributes as {@code {name}} placeholders.
 *
 * @param tokenUrl                null when every deployment has its own (oauth2)
 * @param refreshUrl              where refresh calls go when not to the token URL (Figma), or null
 * @param authorizationUrl        null when the vendor documents no browser flow
 * @param apiBase                 the API's base URLs, templated like the token URL; data for the apiBase option
 * @param passwordGrantType       the grant type of the password grant (Newsletter2Go has its own)
 * @param scope                   the scope an authorization link asks for by default, or null
 * @param scopeOnRefresh          whether token calls carry the scope too (Microsoft requires it on refresh)
 * @param parameters              sent with every token call (Microsoft's scope on refresh)
 * @param authorizationParameters added to the authorization link (Google's access_type=offline)
 * @param callbackAttributes      callback query parameters kept as account attributes
 * @param attributeFields         attribute name to the path of the token answer that sets it
 * @param responseFields          where the answer keeps the token fields, when not under RFC 6749's names
 * @param refreshToken            how the provider treats its refresh tokens
 * @param quirks                  what a generic client gets wrong here, one short sentence each
 * @param sources                 where each fact was read, and when
 */
public record CatalogEntry(String name, String displayName, String tokenUrl, String refreshUrl, String authorizationUrl,
                           List<String> apiBase, ClientAuthentication clientAuthentication, BodyEncoding encoding,
                           String grantType, String passwordGrantType, String scope, boolean scopeOnRefresh,
                           Map<String, String> parameters,
                           Map<String, String> authorizationParameters, List<String> callbackAttributes,
                           Map<String, String> attributeFields, Map<String, String> responseFields,
                           Duration defaultExpiresIn, RefreshTokenPolicy refreshToken, List<String> quirks,
                           List<Source> sources) {

    public CatalogEntry {
        Objects.requireNonNull(name, "name");
        apiBase = List.copyOf(apiBase);
        parameters = Map.copyOf(parameters);
        authorizationParameters = Map.copyOf(authorizationParameters);
        callbackAttributes = List.copyOf(callbackAttributes);
        attributeFields = Map.copyOf(attributeFields);
        responseFields = Map.copyOf(responseFields);
        quirks = List.copyOf(quirks);
        sources = List.copyOf(sources);
    }

    /**
     * How a provider's refresh tokens live.
     *
     * @param rotation one of {@code none} (the same token comes back), {@code rotating} (a new one each refresh, the
     *                 old one dead) or {@code optional} (the app's setting decides)
     * @param grace    how long the previous rotated token is still accepted, or null
     * @param idle     how long an unused refresh token lives, or null when it does not expire unused
     * @param absolute how long a refresh token (or its family) lives at most, or null
     */
    public record RefreshTokenPolicy(String rotation, Duration grace, Duration idle, Duration absolute) {

        public static final RefreshTokenPolicy UNKNOWN = new RefreshTokenPolicy("none", null, null, null);

        /**
         * The lifetime the component can track, counted from when it received the current refresh token: a rotating
         * token is new at every refresh, so its idle limit; an unchanging one keeps its first age, so its absolute
         * limit. Null when neither applies.
         */
        public Duration trackedLifetime() {
            return "rotating".equals(rotation) ? idle : absolute;
        }
    }

    /** Where a fact came from: a page and the day it was read. */
    public record Source(String url, String read, String confirms) {
    }
}
