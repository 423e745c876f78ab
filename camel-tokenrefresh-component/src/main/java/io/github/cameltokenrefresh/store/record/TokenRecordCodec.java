package io.github.cameltokenrefresh.store.record;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.token.Token;

/** The JSON form of a stored token record, shared by stores that keep bytes. */
public final class TokenRecordCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    private TokenRecordCodec() {
    }

    public static byte[] encode(String provider, String account, StoredToken record) throws IOException {
        Token token = record.token();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("format", FORMAT);
        map.put("provider", provider);
        map.put("account", account);
        map.put("version", record.version());
        map.put("access_token", token.getAccessToken());
        map.put("refresh_token", token.getRefreshToken());
        map.put("token_type", token.getTokenType());
        map.put("scope", token.getScope());
        map.put("issued_at", token.getIssuedAt().toString());
        map.put("expires_at", token.getExpiresAt() == null ? null : token.getExpiresAt().toString());
        map.put("refresh_token_issued_at",
                token.getRefreshTokenIssuedAt() == null ? null : token.getRefreshTokenIssuedAt().toString());
        if (token.getRefreshTokenExpiresAt() != null) {
            map.put("refresh_token_expires_at", token.getRefreshTokenExpiresAt().toString());
        }
        map.put("additional", token.getAdditionalFields());
        if (!token.getAttributes().isEmpty()) {
            map.put("attributes", token.getAttributes()); // absent when none: older readers see the record they know
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(map);
    }

    /**
     * Reads a record. A damaged one fails with an IOException that says where, never what: parser and conversion
     * messages quote the offending text, which in a token record may be part of a token, so they are not kept, not
     * even as the cause.
     */
    public static StoredToken decode(byte[] bytes) throws IOException {
        Map<String, Object> map;
        try {
            map = JSON.readValue(bytes, new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IOException("token record is not valid JSON"
                                  + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        Object format = map.get("format");
        if (!(format instanceof Number) || ((Number) format).intValue() != FORMAT) {
            throw new IOException("unknown token record format");
        }
        String field = null;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> additional = map.get("additional") instanceof Map
                    ? (Map<String, Object>) map.get("additional") : Map.of();
            Token.Builder token = Token.builder();
            field = "access_token";
            token.accessToken((String) map.get(field));
            field = "refresh_token";
            token.refreshToken((String) map.get(field));
            field = "token_type";
            token.tokenType((String) map.get(field));
            field = "scope";
            token.scope((String) map.get(field));
            field = "issued_at";
            token.issuedAt(Instant.parse((String) map.get(field)));
            field = "expires_at";
            token.expiresAt(instant(map.get(field)));
            field = "refresh_token_issued_at";
            token.refreshTokenIssuedAt(instant(map.get(field)));
            field = "refresh_token_expires_at";
            token.refreshTokenExpiresAt(instant(map.get(field)));
            field = "attributes";
            Object attributes = map.get(field);
            if (attributes != null) {
                ((Map<?, ?>) attributes).forEach((k, v) -> token.attribute((String) k, (String) v));
            }
            field = "version";
            long version = ((Number) map.get(field)).longValue();
            return new StoredToken(token.additionalFields(additional).build(), version);
        } catch (RuntimeException e) {
            throw new IOException("token record field '" + field + "' is missing or malformed ("
                                  + e.getClass().getSimpleName() + ")");
        }
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }
}
