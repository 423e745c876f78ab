package io.github.cameltokenrefresh.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which token source handed out an access token. Lets a 401 find the provider and account from the header the API
 * rejected, so decorating an exchange keeps no state on it. Each source is indexed under its current access token and
 * the one before it: an exchange still in flight when the token rotated may come back with the previous one.
 */
public final class AccessTokenIndex {

    private final Map<String, TokenSource> sources = new ConcurrentHashMap<>();

    /** The token source whose current or previous access token this is, or null. */
    public TokenSource find(String accessToken) {
        return accessToken == null ? null : sources.get(accessToken);
    }

    void add(String accessToken, TokenSource source) {
        sources.put(accessToken, source);
    }

    void remove(String accessToken, TokenSource source) {
        if (accessToken != null) {
            sources.remove(accessToken, source);
        }
    }

    /** Never the tokens themselves. */
    @Override
    public String toString() {
        return "AccessTokenIndex[" + sources.size() + " tokens]";
    }
}
