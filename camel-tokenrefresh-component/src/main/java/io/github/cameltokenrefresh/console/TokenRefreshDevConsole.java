package io.github.cameltokenrefresh.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.source.Provider;
import io.github.cameltokenrefresh.source.TokenSourceStatus;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/** Providers and accounts with expiry, last refresh, counts and last error; never a token. */
@DevConsole(name = "tokenrefresh", displayName = "Token Refresh", description = "OAuth2 tokens kept fresh by tokenrefresh")
public class TokenRefreshDevConsole extends AbstractDevConsole {

    public TokenRefreshDevConsole() {
        super("camel", "tokenrefresh", "Token Refresh", "OAuth2 tokens kept fresh by tokenrefresh");
    }

    private Map<String, Provider> providers() {
        TokenRefreshComponent component = getCamelContext().hasComponent("tokenrefresh") instanceof TokenRefreshComponent c
                ? c : null;
        return component == null ? Map.of() : new java.util.TreeMap<>(component.getProviders());
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (Provider provider : providers().values()) {
            sb.append(String.format("Provider: %s (store: %s)%n", provider.getName(), provider.store()));
            for (TokenSourceStatus s : provider.statuses()) {
                sb.append(String.format("    Account: %s%n", s.getAccount()));
                sb.append(String.format("        State: %s%n", s.getState()));
                sb.append(String.format("        Expires At: %s%n", s.getExpiresAt() == null ? "no access token" : s.getExpiresAt()));
                sb.append(String.format("        Last Refresh: %s%n", s.getLastRefreshAt() == null ? "none since start" : s.getLastRefreshAt()));
                if (s.getRefreshTokenExpiresAt() != null) {
                    sb.append(String.format("        Refresh Token Expires At: %s%n", s.getRefreshTokenExpiresAt()));
                }
                sb.append(String.format("        Token Calls: %d, Refreshes: %d, Failures: %d%n", s.getTokenCalls(),
                                        s.getRefreshes(), s.getFailures()));
                if (s.getLastErrorType() != null) {
                    sb.append(String.format("        Last Error: %s at %s (%s)%n", s.getLastErrorType(), s.getLastFailureAt(),
                                            s.getNextAttemptAt() != null ? "next attempt " + s.getNextAttemptAt()
                                                    : s.getState() == TokenSourceStatus.State.DEAD ? "re-authorize"
                                                    : "no attempt scheduled"));
                }
            }
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (Provider provider : providers().values()) {
            JsonObject p = new JsonObject();
            p.put("provider", provider.getName());
            p.put("store", String.valueOf(provider.store()));
            List<JsonObject> accounts = new ArrayList<>();
            for (TokenSourceStatus s : provider.statuses()) {
                JsonObject a = new JsonObject();
                a.put("account", s.getAccount());
                a.put("state", s.getState().name());
                a.put("expiresAt", s.getExpiresAt() == null ? null : s.getExpiresAt().toString());
                a.put("lastRefreshAt", s.getLastRefreshAt() == null ? null : s.getLastRefreshAt().toString());
                a.put("lastFailureAt", s.getLastFailureAt() == null ? null : s.getLastFailureAt().toString());
                a.put("lastErrorType", s.getLastErrorType());
                a.put("refreshTokenExpiresAt",
                      s.getRefreshTokenExpiresAt() == null ? null : s.getRefreshTokenExpiresAt().toString());
                a.put("nextAttemptAt", s.getNextAttemptAt() == null ? null : s.getNextAttemptAt().toString());
                a.put("tokenCalls", s.getTokenCalls());
                a.put("refreshes", s.getRefreshes());
                a.put("failures", s.getFailures());
                accounts.add(a);
            }
            p.put("accounts", accounts);
            list.add(p);
        }
        root.put("providers", list);
        return root;
    }
}
