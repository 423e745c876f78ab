package io.github.cameltokenrefresh.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An access token and the refresh token that renews it, as one immutable value. {@link #toString()} never shows
 * either token: this object travels through logs, debuggers and JMX views.
 */
public final class Token {

    private final String accessToken;
    private final String refreshToken;
    private final String tokenType;
    private final String scope;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final Instant refreshTokenIssuedAt;
    private final Instant refreshTokenExpiresAt;
    private final Map<String, Object> additionalFields;
    /** The account's named values (tenant, shop, data centre, instance URL): not secrets, kept across refreshes. */
    private final Map<String, String> attributes;

    private Token(Builder builder) {
        this.accessToken = builder.accessToken;
        this.refreshToken = builder.refreshToken;
        this.tokenType = shared(builder.tokenType);
        this.scope = builder.scope;
        this.issuedAt = Objects.requireNonNull(builder.issuedAt, "issuedAt");
        this.expiresAt = builder.expiresAt;
        this.refreshTokenIssuedAt = builder.refreshTokenIssuedAt;
        this.refreshTokenExpiresAt = builder.refreshTokenExpiresAt;
        // most responses have no vendor fields: an empty map per held token would be 80 bytes for nothing
        this.additionalFields = builder.additionalFields.isEmpty()
                ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(builder.additionalFields));
        this.attributes = builder.attributes.isEmpty()
                ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(builder.attributes));
    }

    /** One instance of the usual token types, instead of one string per held token. */
    private static String shared(String tokenType) {
        if ("Bearer".equals(tokenType)) {
            return "Bearer";
        }
        return "bearer".equals(tokenType) ? "bearer" : tokenType;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A token that holds only a refresh token: what a bootstrap refresh token or a seeded account starts from.
     */
    public static Token ofRefreshToken(String refreshToken, Instant now) {
        return builder().refreshToken(refreshToken).issuedAt(now).refreshTokenIssuedAt(now).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.accessToken = accessToken;
        b.refreshToken = refreshToken;
        b.tokenType = tokenType;
        b.scope = scope;
        b.issuedAt = issuedAt;
        b.expiresAt = expiresAt;
        b.refreshTokenIssuedAt = refreshTokenIssuedAt;
        b.refreshTokenExpiresAt = refreshTokenExpiresAt;
        b.additionalFields.putAll(additionalFields);
        b.attributes.putAll(attributes);
        return b;
    }

    /** The access token, or null when only a refresh token is known. */
    public String getAccessToken() {
        return accessToken;
    }

    public boolean hasAccessToken() {
        return accessToken != null;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    public String getTokenType() {
        return tokenType;
    }

    public String getScope() {
        return scope;
    }

    /** When this instance received the token (local clock). */
    public Instant getIssuedAt() {
        return issuedAt;
    }

    /** When the access token stops working (local clock), or null when there is no access token. */
    public Instant getExpiresAt() {
        return expiresAt;
    }

    /**
     * When the refresh token was issued as far as this component knows: when it first received it or was given it.
     * Null when unknown (records saved by older versions).
     */
    public Instant getRefreshTokenIssuedAt() {
        return refreshTokenIssuedAt;
    }

    /**
     * When the refresh token stops working as the provider reported it in the answer ({@code refresh_token_expires_in}
     * and the like), or null when it did not.
     */
    public Instant getRefreshTokenExpiresAt() {
        return refreshTokenExpiresAt;
    }

    /** The access token's full lifetime as issued. */
    public Duration getLifetime() {
        return expiresAt == null ? Duration.ZERO : Duration.between(issuedAt, expiresAt);
    }

    /** Fields of the token response beyond RFC 6749 §5.1, such as Newsletter2Go's account_id and type. */
    public Map<String, Object> getAdditionalFields() {
        return additionalFields;
    }

    /**
     * The account's attributes: named values that identify where the account lives (a tenant, a shop, a data centre,
     * the API's instance URL, a realm id). Set from the token answer, the authorization callback or the caller; a
     * refresh keeps them, so a later answer without the field does not lose one.
     */
    public Map<String, String> getAttributes() {
        return attributes;
    }

    /** One attribute, or null. */
    public String getAttribute(String name) {
        return attributes.get(name);
    }

    /** True when the access token exists and has at least {@code margin} left at {@code now}. */
    public boolean isUsableAt(Instant now, Duration margin) {
        return accessToken != null && expiresAt != null && now.plus(margin).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Token[type=" + tokenType
               + ", accessToken=" + (accessToken == null ? "none" : "***")
               + ", refreshToken=" + (refreshToken == null ? "none" : "***")
               + ", issuedAt=" + issuedAt
               + ", expiresAt=" + expiresAt
               + ", scope=" + scope
               + ", additionalFields=" + additionalFields.keySet()
               + (attributes.isEmpty() ? "" : ", attributes=" + attributes.keySet()) + "]";
    }

    public static final class Builder {
        private String accessToken;
        private String refreshToken;
        private String tokenType;
        private String scope;
        private Instant issuedAt;
        private Instant expiresAt;
        private Instant refreshTokenIssuedAt;
        private Instant refreshTokenExpiresAt;
        private final Map<String, Object> additionalFields = new LinkedHashMap<>();
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder refreshTokenIssuedAt(Instant refreshTokenIssuedAt) {
            this.refreshTokenIssuedAt = refreshTokenIssuedAt;
            return this;
        }

        public Builder refreshTokenExpiresAt(Instant refreshTokenExpiresAt) {
            this.refreshTokenExpiresAt = refreshTokenExpiresAt;
            return this;
        }

        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        public Builder refreshToken(String refreshToken) {
            this.refreshToken = refreshToken;
            return this;
        }

        public Builder tokenType(String tokenType) {
            this.tokenType = tokenType;
            return this;
        }

        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder additionalField(String name, Object value) {
            this.additionalFields.put(name, value);
            return this;
        }

        public Builder additionalFields(Map<String, Object> fields) {
            this.additionalFields.clear();
            this.additionalFields.putAll(fields);
            return this;
        }

        /** Sets one attribute; a null value removes it. */
        public Builder attribute(String name, String value) {
            if (value == null) {
                this.attributes.remove(name);
            } else {
                this.attributes.put(Objects.requireNonNull(name, "name"), value);
            }
            return this;
        }

        /** Adds (or replaces) these attributes, keeping the others. */
        public Builder attributes(Map<String, String> attributes) {
            attributes.forEach(this::attribute);
            return this;
        }

        public Token build() {
            return new Token(this);
        }
    }
}
