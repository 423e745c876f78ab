package io.github.cameltokenrefresh.store;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.token.Token;

/** The JSON form of a stored token record, shared by stores that keep bytes. */
final class TokenRecordCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    private TokenRecordCodec() {
    }

    static byte[] encode(String provider, String account, StoredToken record) throws IOException {
        Token token = record.getToken();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("format", FORMAT);
        map.put("provider", provider);
        map.put("account", account);
        map.put("version", record.getVersion());
        map.put("access_token", token.getAccessToken());
        map.put("refresh_token", token.getRefreshToken());
        map.put("token_type", token.getTokenType());
        map.put("scope", token.getScope());
        map.put("issued_at", token.getIssuedAt().toString());
        map.put("expires_at", token.getExpiresAt() == null ? null : token.getExpiresAt().toString());
        map.put("refresh_token_issued_at",
                token.getRefreshTokenIssuedAt() == null ? null : token.getRefreshTokenIssuedAt().toString());
        map.put("additional", token.getAdditionalFields());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(map);
    }

    static StoredToken decode(byte[] bytes) throws IOException {
        Map<String, Object> map = JSON.readValue(bytes, new TypeReference<Map<String, Object>>() {
        });
        Object format = map.get("format");
        if (!(format instanceof Number) || ((Number) format).intValue() != FORMAT) {
            throw new IOException("unknown token record format " + format);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> additional = map.get("additional") instanceof Map
                ? (Map<String, Object>) map.get("additional") : Map.of();
        Token token = Token.builder()
                .accessToken((String) map.get("access_token"))
                .refreshToken((String) map.get("refresh_token"))
                .tokenType((String) map.get("token_type"))
                .scope((String) map.get("scope"))
                .issuedAt(Instant.parse((String) map.get("issued_at")))
                .expiresAt(map.get("expires_at") == null ? null : Instant.parse((String) map.get("expires_at")))
                .refreshTokenIssuedAt(map.get("refresh_token_issued_at") == null ? null
                        : Instant.parse((String) map.get("refresh_token_issued_at")))
                .additionalFields(additional)
                .build();
        return new StoredToken(token, ((Number) map.get("version")).longValue());
    }
}
