package io.github.cameltokenrefresh.internal.account;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cameltokenrefresh.token.Token;

/**
 * How an account's attributes pass from one token to the next: a new answer adds or replaces the attributes it
 * carries and keeps the others, so a refresh whose answer lacks {@code instance_url} still knows the instance.
 */
public final class AccountAttributes {

    private AccountAttributes() {
    }

    /** The attributes of a token, or none. */
    public static Map<String, String> of(Token token) {
        return token == null ? Map.of() : token.getAttributes();
    }

    /** {@code next}, with the attributes of {@code previous} it does not set itself. */
    public static Token carriedOver(Token previous, Token next) {
        if (previous == null || previous.getAttributes().isEmpty()) {
            return next;
        }
        Map<String, String> merged = new LinkedHashMap<>(previous.getAttributes());
        merged.putAll(next.getAttributes());
        if (merged.equals(next.getAttributes())) {
            return next;
        }
        return next.toBuilder().attributes(merged).build();
    }

    /**
     * {@code current} with these attributes added or replaced (a null value removes one); an account without a token
     * yet gets a record of attributes only, which its onboarding fills in.
     */
    public static Token withAttributes(Token current, Map<String, String> attributes, Instant now) {
        Token.Builder builder = current == null ? Token.builder().issuedAt(now) : current.toBuilder();
        attributes.forEach(builder::attribute);
        return builder.build();
    }
}
