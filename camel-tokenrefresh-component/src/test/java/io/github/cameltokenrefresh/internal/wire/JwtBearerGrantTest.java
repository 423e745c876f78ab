package io.github.cameltokenrefresh.internal.wire;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.FallbackGrantType;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.jose.JwsAlgorithm;
import io.github.cameltokenrefresh.internal.jose.KeyFiles.PrivateKeyEntry;
import io.github.cameltokenrefresh.internal.jose.SigningKey;
import io.github.cameltokenrefresh.internal.jose.TestKeys;
import io.github.cameltokenrefresh.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JWT bearer grant (RFC 7523 §2.1) as the token request carries it: grant type, a signed assertion, scope. */
class JwtBearerGrantTest {

    private static final URI TOKEN_URL = URI.create("https://login.example/services/oauth2/token");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final PrivateKeyEntry rsa = TestKeys.rsa();
    private final TokenRequestDialect dialect = new TokenRequestDialect(TOKEN_URL, BodyEncoding.form, "refresh_token",
            "grant_type", "refresh_token", GrantTypeLocation.body, ClientAuthentication.none, Map.of(), Map.of());

    @Test
    void eachAccountIsItsOwnSubjectUnlessOneIsConfigured() throws Exception {
        FallbackGrant grant = fallback(null, "api refresh_token");

        Map<String, String> form = form(dialect.encode(grant.grant(clock, "alice@example.com"), new PublicClient()));

        assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.get("grant_type"));
        assertEquals("api refresh_token", form.get("scope"));
        SignedJWT jwt = SignedJWT.parse(form.get("assertion"));
        assertTrue(jwt.verify(new RSASSAVerifier((RSAPublicKey) rsa.certificate().getPublicKey())));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("consumer-key", claims.getIssuer());
        assertEquals("alice@example.com", claims.getSubject());
        assertEquals(List.of(TOKEN_URL.toString()), claims.getAudience());
        assertEquals(clock.instant(), claims.getIssueTime().toInstant());
        assertEquals(clock.instant().plusSeconds(120), claims.getExpirationTime().toInstant());
        assertEquals("api refresh_token", claims.getStringClaim("scope"), "Google reads the scope from the assertion");

        Map<String, String> configured = form(dialect.encode(fallback("svc-user", null).grant(clock, "alice@example.com"),
                                                             new PublicClient()));
        SignedJWT other = SignedJWT.parse(configured.get("assertion"));
        assertEquals("svc-user", other.getJWTClaimsSet().getSubject());
        assertFalse(configured.containsKey("scope"));
        assertNull(other.getJWTClaimsSet().getClaim("scope"));
        assertNotEquals(claims.getJWTID(), other.getJWTClaimsSet().getJWTID());
    }

    @Test
    void theAssertionIsAScrubbedSecretAndSignedAnewWhenTheRequestIsBuiltAgain() throws Exception {
        TokenGrant grant = fallback(null, null).grant(clock, "acct");
        TokenRequest first = dialect.encode(grant, new PublicClient());
        clock.advance(Duration.ofSeconds(5));
        TokenRequest second = dialect.encode(grant, new PublicClient());

        String a = form(first).get("assertion");
        String b = form(second).get("assertion");
        assertNotEquals(a, b);
        assertTrue(second.secrets().containsAll(List.of(a, b)));
        assertEquals(clock.instant(), SignedJWT.parse(b).getJWTClaimsSet().getIssueTime().toInstant());
        assertFalse(grant.toString().contains(a.substring(0, 20)));
        assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", fallback(null, null).grantValue());
    }

    private FallbackGrant fallback(String subject, String scope) {
        ClientAssertion assertion = new ClientAssertion(new SigningKey(rsa.key(), JwsAlgorithm.RS256, null, null),
                                                        TOKEN_URL, Duration.ofSeconds(120));
        return new FallbackGrant(FallbackGrantType.jwt_bearer, null, null, null,
                                 new JwtBearer(assertion, "consumer-key", subject, scope));
    }

    private static Map<String, String> form(TokenRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(request.body(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                     URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
