package io.github.cameltokenrefresh.internal.call;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.dpop.DpopKey;
import io.github.cameltokenrefresh.internal.dpop.DpopProofs;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import io.github.cameltokenrefresh.internal.wire.RefreshTokenGrant;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenRequestDialect;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenErrorResponseException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DPoP on the token endpoint (RFC 9449 §5, §8): a proof on every request, the nonce challenge answered once. */
class TokenEndpointDpopTest {

    private static final String TOKEN_URL = "https://auth.example/token";
    private static final String DPOP_TOKEN = "{\"access_token\":\"at-1\",\"token_type\":\"DPoP\",\"expires_in\":300}";
    private static final String NONCE_ERROR = "{\"error\":\"use_dpop_nonce\",\"error_description\":\"nonce\"}";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final Answers answers = new Answers();

    @Test
    void everyTokenRequestCarriesAProofForPostAndTheTokenUrl() throws Exception {
        answers.add(200, DPOP_TOKEN, null);

        Token token = call();

        assertEquals("at-1", token.getAccessToken());
        assertEquals("DPoP", token.getTokenType(), "the token type is kept: the API call must present it as DPoP");
        SignedJWT proof = SignedJWT.parse(answers.requests.get(0).headers().get("DPoP"));
        assertTrue(proof.verify(new ECDSAVerifier((ECKey) proof.getHeader().getJWK())));
        assertEquals("POST", proof.getJWTClaimsSet().getStringClaim("htm"));
        assertEquals(TOKEN_URL, proof.getJWTClaimsSet().getStringClaim("htu"));
        assertNull(proof.getJWTClaimsSet().getClaim("nonce"));
    }

    @Test
    void aNonceChallengeIsAnsweredWithOneRetryCarryingTheNonce() throws Exception {
        answers.add(400, NONCE_ERROR, "n-1");
        answers.add(200, DPOP_TOKEN, "n-2");
        answers.add(200, DPOP_TOKEN, null);

        call();

        assertEquals(2, answers.requests.size());
        SignedJWT first = SignedJWT.parse(answers.requests.get(0).headers().get("DPoP"));
        SignedJWT retry = SignedJWT.parse(answers.requests.get(1).headers().get("DPoP"));
        assertEquals("n-1", retry.getJWTClaimsSet().getStringClaim("nonce"));
        assertNotEquals(first.getJWTClaimsSet().getJWTID(), retry.getJWTClaimsSet().getJWTID());

        call(); // the nonce the successful answer brought is used next
        assertEquals("n-2", SignedJWT.parse(answers.requests.get(2).headers().get("DPoP")).getJWTClaimsSet()
                .getStringClaim("nonce"));
    }

    @Test
    void aSecondChallengeIsTheServersErrorNotALoop() {
        answers.add(400, NONCE_ERROR, "n-1");
        answers.add(400, NONCE_ERROR, "n-2");
        answers.add(200, DPOP_TOKEN, null);

        TokenErrorResponseException e = assertThrows(TokenErrorResponseException.class, this::call);

        assertEquals("use_dpop_nonce", e.getError());
        assertEquals(2, answers.requests.size());
    }

    @Test
    void aChallengeWithoutANewNonceIsNotRetried() {
        answers.add(400, NONCE_ERROR, null);

        assertThrows(TokenErrorResponseException.class, this::call);
        assertEquals(1, answers.requests.size());
    }

    private final TokenEndpoint endpoint = endpoint();

    private Token call() {
        return endpoint.call("acme", RefreshTokenGrant.stored("rt-1"), false, false, new CallRecord());
    }

    /** One endpoint for the test: its proofs keep the nonces. */
    private TokenEndpoint endpoint() {
        TokenRequestDialect dialect = new TokenRequestDialect(URI.create(TOKEN_URL), BodyEncoding.form, "refresh_token",
                "grant_type", "refresh_token", GrantTypeLocation.body, ClientAuthentication.basic, Map.of(), Map.of());
        return new TokenEndpoint("crm", dialect, ClientAuthenticator.of(ClientAuthentication.basic,
                new ClientCredentials("client-1", "secret-1", null)), answers, Duration.ofHours(1), clock,
                TokenCallRateLimit.NONE, new EndpointBackoff(new RefreshPolicy(Duration.ofSeconds(30),
                        Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofMinutes(5))),
                new DpopProofs(DpopKey.generate(), clock));
    }

    /** Answers in order and keeps each request. */
    private static final class Answers implements TokenClient {
        private final Deque<TokenResponse> queue = new ArrayDeque<>();
        final List<TokenRequest> requests = new ArrayList<>();

        void add(int status, String body, String nonce) {
            queue.add(new TokenResponse(status, "application/json", null, null, body.getBytes(StandardCharsets.UTF_8),
                                        nonce));
        }

        @Override
        public TokenResponse send(TokenRequest request) {
            requests.add(request);
            return queue.removeFirst();
        }
    }
}
