package io.github.cameltokenrefresh.kafka;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cameltokenrefresh.token.Token;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;

/**
 * An account's access token as Kafka's OAUTHBEARER login holds it: the token itself, its scope, and its lifetime as
 * the component knows it, which is what Kafka's re-login schedule is computed from. {@link #toString()} never shows the
 * token: Kafka keeps it in a JAAS subject that logs and debuggers may print.
 */
final class AccountBearerToken implements OAuthBearerToken {

    private final String value;
    private final Set<String> scope;
    private final long startTimeMs;
    private final long lifetimeMs;
    private final String principalName;

    AccountBearerToken(Token token, String principalName) {
        this.value = token.getAccessToken();
        this.scope = token.getScope() == null ? Set.of()
                : Arrays.stream(token.getScope().trim().split("\\s+")).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
        this.startTimeMs = token.getIssuedAt().toEpochMilli();
        this.lifetimeMs = token.getExpiresAt().toEpochMilli();
        this.principalName = principalName;
    }

    @Override
    public String value() {
        return value;
    }

    @Override
    public Set<String> scope() {
        return scope;
    }

    /** When the token expires, in epoch milliseconds (Kafka's name for it). */
    @Override
    public long lifetimeMs() {
        return lifetimeMs;
    }

    @Override
    public String principalName() {
        return principalName;
    }

    /** When this process received the token. */
    @Override
    public Long startTimeMs() {
        return startTimeMs;
    }

    @Override
    public String toString() {
        return "AccountBearerToken[value=***, principal=" + principalName + ", scope=" + scope + ", startTimeMs="
               + startTimeMs + ", lifetimeMs=" + lifetimeMs + "]";
    }
}
