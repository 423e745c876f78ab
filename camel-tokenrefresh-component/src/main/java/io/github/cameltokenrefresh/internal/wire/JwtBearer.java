package io.github.cameltokenrefresh.internal.wire;

import java.util.Objects;

/**
 * The JWT bearer grant as configured (RFC 7523 §2.1).
 *
 * @param assertion how its assertions are signed: key, audience (the token endpoint unless configured), lifetime
 * @param issuer    the {@code iss} claim: the client id unless configured (Google: the service account's e-mail)
 * @param subject   the {@code sub} claim, or null: each account is its own subject (the user it acts for)
 * @param scope     the scope requested, or null
 */
public record JwtBearer(ClientAssertion assertion, String issuer, String subject, String scope) {

    public JwtBearer {
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(issuer, "issuer");
    }
}
