package io.github.cameltokenrefresh.internal.wire;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JWT bearer grant (RFC 7523 §2.1), a fallback grant: a new token for a subject without a refresh token, the
 * client signing an assertion about the subject (Salesforce's server-to-server flow, Google's service accounts). The
 * assertion is signed as the request is built, so a request made again (a DPoP nonce retry) carries a fresh one.
 */
public final class JwtBearerGrant implements TokenGrant {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final JwtBearer settings;
    private final String subject;
    private final Clock clock;
    private final List<String> sent = new ArrayList<>();

    /** @param subject the {@code sub} claim: the configured subject, else the account */
    JwtBearerGrant(JwtBearer settings, String subject, Clock clock) {
        this.settings = settings;
        this.subject = subject;
        this.clock = clock;
    }

    @Override
    public String grantType(TokenRequestDialect dialect) {
        return GRANT_TYPE;
    }

    @Override
    public Map<String, String> parameters(TokenRequestDialect dialect) {
        Map<String, Object> extra = new LinkedHashMap<>();
        if (settings.scope() != null) {
            extra.put("scope", settings.scope()); // Google reads the scope from the assertion, RFC 7523 from the request
        }
        String assertion = settings.assertion().sign(settings.issuer(), subject, clock.instant(), extra);
        synchronized (sent) {
            sent.add(assertion);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("assertion", assertion);
        if (settings.scope() != null) {
            parameters.put("scope", settings.scope());
        }
        return parameters;
    }

    @Override
    public List<String> secrets() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    @Override
    public String toString() {
        return "JwtBearerGrant[iss=" + settings.issuer() + ", sub=" + subject + "]";
    }
}
