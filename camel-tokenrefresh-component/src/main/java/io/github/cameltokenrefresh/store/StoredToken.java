package io.github.cameltokenrefresh.store;

import java.util.Objects;

import io.github.cameltokenrefresh.token.Token;

/** A token as a store holds it, with the version the next compare-and-set must name. */
public record StoredToken(Token token, long version) {

    public StoredToken {
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "StoredToken[version=" + version + ", token=" + token + "]";
    }
}
