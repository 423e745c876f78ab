package io.github.cameltokenrefresh.store;

import java.util.Objects;

import io.github.cameltokenrefresh.token.Token;

/** A token as a store holds it, with the version the next compare-and-set must name. */
public final class StoredToken {

    private final Token token;
    private final long version;

    public StoredToken(Token token, long version) {
        this.token = Objects.requireNonNull(token, "token");
        this.version = version;
    }

    public Token getToken() {
        return token;
    }

    public long getVersion() {
        return version;
    }

    @Override
    public String toString() {
        return "StoredToken[version=" + version + ", token=" + token + "]";
    }
}
