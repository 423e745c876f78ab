package io.github.cameltokenrefresh.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.token.Token;

/** Keeps tokens in memory only: for tests and for providers whose refresh tokens never rotate. */
public class MemoryTokenStore implements TokenStore {

    private final Map<String, Map<String, StoredToken>> records = new ConcurrentHashMap<>();

    @Override
    public StoredToken load(String provider, String account) {
        return records.getOrDefault(provider, Map.of()).get(account);
    }

    @Override
    public StoredToken save(String provider, String account, Token token, long expectedVersion) {
        Map<String, StoredToken> accounts = records.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
        return accounts.compute(account, (a, current) -> {
            long actual = current == null ? 0 : current.version();
            if (actual != expectedVersion) {
                throw new StaleTokenVersionException(provider, account, expectedVersion, actual);
            }
            return new StoredToken(token, actual + 1);
        });
    }

    @Override
    public void delete(String provider, String account) {
        Map<String, StoredToken> accounts = records.get(provider);
        if (accounts != null) {
            accounts.remove(account);
        }
    }

    @Override
    public List<String> accounts(String provider) {
        return new ArrayList<>(records.getOrDefault(provider, Map.of()).keySet());
    }

    @Override
    public String toString() {
        return "MemoryTokenStore";
    }
}
