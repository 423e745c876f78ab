package io.github.cameltokenrefresh.internal.wire;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a provider's token answer keeps what the component reads: dotted paths into the JSON object, RFC 6749's
 * names unless the provider nests or renames them (Slack's user token under {@code authed_user}), the refresh token's
 * own lifetime when the provider reports one (GitHub {@code refresh_token_expires_in}, Intuit
 * {@code x_refresh_token_expires_in}), and the account attributes the answer carries ({@code instance_url}).
 *
 * @param attributes attribute name to path, e.g. {@code instanceUrl -> instance_url}
 */
public record ResponseFields(String accessToken, String refreshToken, String expiresIn, String refreshTokenExpiresIn,
                             Map<String, String> attributes) {

    public static final ResponseFields RFC6749
            = new ResponseFields("access_token", "refresh_token", "expires_in", "refresh_token_expires_in", Map.of());

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*");

    public ResponseFields {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(expiresIn, "expiresIn");
        Objects.requireNonNull(refreshTokenExpiresIn, "refreshTokenExpiresIn");
        attributes = Map.copyOf(attributes);
    }

    /** Whether a path is well formed: names separated by single dots. */
    public static boolean isPath(String path) {
        return path != null && PATH.matcher(path).matches();
    }

    /** The node at a dotted path, or null. */
    static JsonNode at(JsonNode json, String path) {
        JsonNode node = json;
        for (String name : path.split("\\.")) {
            node = node == null || !node.isObject() ? null : node.get(name);
        }
        return node == null || node.isNull() ? null : node;
    }

    /** The text at a path (a number as its digits), or null. */
    static String text(JsonNode json, String path) {
        JsonNode node = at(json, path);
        return node == null || node.isContainerNode() ? null : node.asText();
    }
}
