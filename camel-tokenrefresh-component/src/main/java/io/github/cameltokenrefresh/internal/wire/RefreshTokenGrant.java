package io.github.cameltokenrefresh.internal.wire;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The refresh grant (RFC 6749 §6), with the account's stored refresh token or the one configured for it (the
 * bootstrap refresh token: the same request, a different origin, which only the logs tell apart). The dialect names
 * the grant type and the refresh token's field.
 */
public final class RefreshTokenGrant implements TokenGrant {

    private final String refreshToken;
    private final boolean configured;

    private RefreshTokenGrant(String refreshToken, boolean configured) {
        this.refreshToken = Objects.requireNonNull(refreshToken, "refreshToken");
        this.configured = configured;
    }

    /** The refresh token the account holds. */
    public static RefreshTokenGrant stored(String refreshToken) {
        return new RefreshTokenGrant(refreshToken, false);
    }

    /** The refresh token an endpoint configured for the account ({@code refreshToken}). */
    public static RefreshTokenGrant configured(String refreshToken) {
        return new RefreshTokenGrant(refreshToken, true);
    }

    @Override
    public String grantType(TokenRequestDialect dialect) {
        return dialect.grantType();
    }

    @Override
    public Map<String, String> parameters(TokenRequestDialect dialect) {
        return Map.of(dialect.refreshTokenField(), refreshToken);
    }

    @Override
    public List<String> secrets() {
        return List.of(refreshToken);
    }

    @Override
    public String refreshToken() {
        return refreshToken;
    }

    @Override
    public String toString() {
        return configured ? "RefreshTokenGrant[configured]" : "RefreshTokenGrant[stored]";
    }
}
