package io.github.cameltokenrefresh.internal.wire;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.InvalidTokenResponseException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenErrorResponseException;

/**
 * Turns a token endpoint answer into a {@link Token} or a typed {@link TokenRefreshException}. Knows RFC 6749 §5.1
 * and §5.2, AWeber's float {@code expires_at}, and keeps vendor fields such as Newsletter2Go's {@code account_id}.
 */
public final class TokenResponseParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STANDARD_FIELDS
            = Set.of("access_token", "refresh_token", "expires_in", "expires_at", "token_type", "scope");
    private static final int MAX_DESCRIPTION = 300;
    private static final int MIN_SCRUBBED_LENGTH = 4;
    /** 100 years: longer lifetimes are not lifetimes, and they overflow the arithmetic of instants. */
    private static final BigDecimal MAX_LIFETIME_SECONDS = BigDecimal.valueOf(100L * 366 * 24 * 3600);

    private final String provider;
    private final String account;
    private final Duration defaultExpiresIn;
    /** Where the call went, named when nothing is there (404). */
    private final URI tokenUrl;
    private final ResponseFields fields;

    /** @param tokenUrl the URL called: a 404 names it (without its query or user info) and the option */
    public TokenResponseParser(String provider, String account, Duration defaultExpiresIn, URI tokenUrl) {
        this(provider, account, defaultExpiresIn, tokenUrl, ResponseFields.RFC6749);
    }

    /** @param fields where the answer keeps what is read from it */
    public TokenResponseParser(String provider, String account, Duration defaultExpiresIn, URI tokenUrl,
                               ResponseFields fields) {
        this.provider = provider;
        this.account = account;
        this.defaultExpiresIn = defaultExpiresIn;
        this.tokenUrl = tokenUrl;
        this.fields = fields;
    }

    /** A 429, 408 or 5xx: about the token endpoint (overloaded, down), not about the request or the account. */
    public static boolean isEndpointTrouble(TokenResponse response) {
        int status = response.statusCode();
        return status == 429 || status == 408 || status >= 500;
    }

    /**
     * @param response        the raw answer
     * @param refreshTokenUsed the refresh token that was sent: kept when the answer carries none
     * @param secrets         values that must not appear in any message (the server may echo them)
     * @param now             the local time the answer arrived
     */
    public Token parse(TokenResponse response, String refreshTokenUsed, Collection<String> secrets, Instant now) {
        int status = response.statusCode();
        String contentType = response.contentType();

        if (isEndpointTrouble(response)) {
            JsonNode error = tryJsonObject(response);
            String detail = error != null && error.hasNonNull("error")
                    ? "error '" + scrub(error.get("error").asText(), secrets) + "'" : null;
            throw new TokenEndpointUnavailableException(provider, account, status, retryAfter(response, now), detail, null);
        }
        if (status >= 300 && status < 400) {
            throw new InvalidTokenResponseException(provider, account, status, contentType,
                    "redirect " + (response.location() == null ? "" : "to " + scrub(response.location(), secrets) + " ")
                                                            + "not followed; check tokenUrl");
        }

        JsonNode json = tryJsonObject(response);
        if (status == 404 && (json == null || !json.hasNonNull("error"))) {
            // nothing answers there: a wrong URL, not a server in trouble; an RFC 6749 error is the server's word
            throw new InvalidTokenResponseException(provider, account, status, contentType,
                    "nothing at " + withoutQuery(tokenUrl)
                    + " (404 Not Found); check the option tokenUrl");
        }
        if (json == null) {
            throw new InvalidTokenResponseException(provider, account, status, contentType,
                    response.body().length == 0 ? "empty body" : "body is not a JSON object");
        }
        if (json.hasNonNull("error") && ResponseFields.at(json, fields.accessToken()) == null) {
            String error = scrub(json.get("error").asText(), secrets);
            String description = json.hasNonNull("error_description")
                    ? scrub(json.get("error_description").asText(), secrets) : null;
            if ("invalid_grant".equals(error)) {
                throw new InvalidGrantException(provider, account, status, description);
            }
            throw new TokenErrorResponseException(provider, account, status, error, description);
        }
        if (status < 200 || status >= 300) {
            throw new InvalidTokenResponseException(provider, account, status, contentType,
                    "error status without an RFC 6749 error field");
        }
        return toToken(json, response, refreshTokenUsed, now);
    }

    private Token toToken(JsonNode json, TokenResponse response, String refreshTokenUsed, Instant now) {
        String accessToken = ResponseFields.text(json, fields.accessToken());
        if (accessToken == null || accessToken.isBlank()) {
            throw invalid(response, "no " + fields.accessToken());
        }
        String refreshToken = ResponseFields.text(json, fields.refreshToken());
        if (refreshToken == null || refreshToken.isBlank()) {
            refreshToken = refreshTokenUsed; // RFC 6749 §6: the client keeps the old one
        }

        Instant expiresAt;
        JsonNode expiresIn = ResponseFields.at(json, fields.expiresIn());
        if (expiresIn != null) {
            expiresAt = now.plusSeconds(lifetimeSeconds(expiresIn, response, fields.expiresIn()));
        } else if (json.hasNonNull("expires_at")) {
            // AWeber: float Unix seconds. Used only without expires_in, as it depends on both clocks agreeing.
            BigDecimal epoch = decimal(json.get("expires_at"), response, "expires_at");
            if (epoch.compareTo(BigDecimal.valueOf(now.getEpochSecond()).add(MAX_LIFETIME_SECONDS)) > 0) {
                throw invalid(response, "expires_at is more than " + MAX_LIFETIME_SECONDS + " seconds ahead");
            }
            expiresAt = Instant.ofEpochMilli(epoch.movePointRight(3).longValue());
            if (!expiresAt.isAfter(now)) {
                throw invalid(response, "expires_at " + expiresAt + " is not in the future (check clock skew)");
            }
        } else {
            expiresAt = now.plus(defaultExpiresIn);
        }

        Token.Builder builder = Token.builder()
                .accessToken(accessToken)
                .refreshToken(refreshToken)
                .tokenType(text(json, "token_type"))
                .scope(text(json, "scope"))
                .issuedAt(now)
                .expiresAt(expiresAt);
        JsonNode refreshExpiresIn = ResponseFields.at(json, fields.refreshTokenExpiresIn());
        if (refreshExpiresIn != null) {
            builder.refreshTokenExpiresAt(now.plusSeconds(lifetimeSeconds(refreshExpiresIn, response,
                                                                          fields.refreshTokenExpiresIn())));
        }
        fields.attributes().forEach((name, path) -> builder.attribute(name, ResponseFields.text(json, path)));
        Iterator<Map.Entry<String, JsonNode>> entries = json.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> field = entries.next();
            if (!STANDARD_FIELDS.contains(field.getKey())) {
                builder.additionalField(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
            }
        }
        return builder.build();
    }

    /**
     * The refresh token in a 2xx answer that was refused as unusable, when it differs from the one sent: the server
     * has rotated, so the new one must be kept although the answer as a whole was not usable. Null otherwise.
     */
    public static String rotatedRefreshToken(TokenResponse response, String refreshTokenUsed) {
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            return null;
        }
        JsonNode json = tryJsonObject(response);
        String rotated = json == null ? null : text(json, "refresh_token");
        return rotated == null || rotated.isBlank() || rotated.equals(refreshTokenUsed) ? null : rotated;
    }

    private long lifetimeSeconds(JsonNode node, TokenResponse response, String field) {
        BigDecimal seconds = decimal(node, response, field);
        if (seconds.signum() <= 0) {
            throw invalid(response, field + " is " + seconds.longValue() + ", not a positive number of seconds");
        }
        if (seconds.compareTo(MAX_LIFETIME_SECONDS) > 0) {
            throw invalid(response, field + " is more than " + MAX_LIFETIME_SECONDS + " seconds");
        }
        return seconds.longValue();
    }

    private InvalidTokenResponseException invalid(TokenResponse response, String reason) {
        return new InvalidTokenResponseException(provider, account, response.statusCode(), response.contentType(),
                                                 reason);
    }

    private BigDecimal decimal(JsonNode node, TokenResponse response, String field) {
        try {
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isTextual()) {
                return new BigDecimal(node.asText().trim());
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw invalid(response, field + " is not a number");
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static JsonNode tryJsonObject(TokenResponse response) {
        String type = response.contentType() == null ? "" : response.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("text/html") || response.body().length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(response.body());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Duration retryAfter(TokenResponse response, Instant now) {
        String value = response.retryAfter();
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException ex) {
                return null;
            }
        }
    }

    /** Scheme, host, port and path: a query or user info may hold a key. */
    static String withoutQuery(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
               + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** Removes secrets the server may have echoed and control characters, and bounds the length. */
    static String scrub(String text, Collection<String> secrets) {
        String result = text;
        for (String secret : secrets) {
            // a secret of a character or three would shred ordinary words; real secrets are longer
            if (secret != null && secret.length() >= MIN_SCRUBBED_LENGTH) {
                result = result.replace(secret, "***");
            }
        }
        result = result.replaceAll("\\p{Cntrl}", " ");
        return result.length() > MAX_DESCRIPTION ? result.substring(0, MAX_DESCRIPTION) + "..." : result;
    }
}
