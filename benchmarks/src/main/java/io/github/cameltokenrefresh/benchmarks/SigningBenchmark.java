package io.github.cameltokenrefresh.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.internal.dpop.DpopKey;
import io.github.cameltokenrefresh.internal.dpop.DpopPresentation;
import io.github.cameltokenrefresh.internal.dpop.DpopProofs;
import io.github.cameltokenrefresh.internal.jose.JwsAlgorithm;
import io.github.cameltokenrefresh.internal.jose.SigningKey;
import io.github.cameltokenrefresh.internal.wire.ClientAssertion;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.ClientCredentials;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What signing adds, per call: the client's proof on a token request (client_secret_basic, the baseline, against
 * private_key_jwt RS256/PS256/ES256 and client_secret_jwt), and a DPoP-bound token's headers on an API request (a new
 * proof per request, EC P-256 and RSA 2048) against a constant Authorization header. The token call itself adds the
 * network and the server to the client's proof; this measures only the client's CPU.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class SigningBenchmark {

    private static final URI TOKEN_URL = URI.create("https://sso.example.com/realms/acme/protocol/openid-connect/token");
    private static final URI API = URI.create("https://api.example.com/v1/orders?page=2");
    private static final String ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9." + "x".repeat(600) + ".sig";

    private ClientAuthenticator basic;
    private ClientAuthenticator rs256;
    private ClientAuthenticator ps256;
    private ClientAuthenticator es256;
    private ClientAuthenticator hs256;
    private DpopPresentation dpopEc;
    private DpopPresentation dpopRsa;

    @Setup
    public void setUp() throws Exception {
        Clock clock = Clock.systemUTC();
        ClientCredentials credentials = new ClientCredentials("client-1", "secret-of-at-least-32-bytes-0123456789", null);
        basic = ClientAuthenticator.of(ClientAuthentication.basic, credentials);
        KeyPair rsa = generate("RSA", 2048);
        KeyPair ec = generate("EC", 256);
        rs256 = signed(ClientAuthentication.private_key_jwt, credentials, new SigningKey(rsa.getPrivate(),
                JwsAlgorithm.RS256, "k1", null), clock);
        ps256 = signed(ClientAuthentication.private_key_jwt, credentials, new SigningKey(rsa.getPrivate(),
                JwsAlgorithm.PS256, "k1", null), clock);
        es256 = signed(ClientAuthentication.private_key_jwt, credentials, new SigningKey(ec.getPrivate(),
                JwsAlgorithm.ES256, "k1", null), clock);
        hs256 = signed(ClientAuthentication.client_secret_jwt, credentials, new SigningKey(new SecretKeySpec(
                credentials.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"), JwsAlgorithm.HS256, null, null), clock);
        dpopEc = new DpopPresentation(new DpopProofs(DpopKey.generate(), clock));
        dpopRsa = new DpopPresentation(new DpopProofs(new DpopKey(rsa.getPrivate(), rsa.getPublic(), JwsAlgorithm.RS256,
                                                                  false), clock));
    }

    private static KeyPair generate(String algorithm, int size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size);
        return generator.generateKeyPair();
    }

    private static ClientAuthenticator signed(ClientAuthentication method, ClientCredentials credentials, SigningKey key,
                                              Clock clock) {
        return ClientAuthenticator.of(method, credentials, new ClientAssertion(key, TOKEN_URL, Duration.ofSeconds(60)),
                                      clock);
    }

    private static Map<String, String> authenticate(ClientAuthenticator client) {
        Map<String, String> parameters = new LinkedHashMap<>();
        client.authenticate(new LinkedHashMap<>(), parameters, new ArrayList<>());
        return parameters;
    }

    @Benchmark
    public Map<String, String> tokenCall_clientSecretBasic() {
        return authenticate(basic);
    }

    @Benchmark
    public Map<String, String> tokenCall_privateKeyJwtRs256() {
        return authenticate(rs256);
    }

    @Benchmark
    public Map<String, String> tokenCall_privateKeyJwtPs256() {
        return authenticate(ps256);
    }

    @Benchmark
    public Map<String, String> tokenCall_privateKeyJwtEs256() {
        return authenticate(es256);
    }

    @Benchmark
    public Map<String, String> tokenCall_clientSecretJwtHs256() {
        return authenticate(hs256);
    }

    @Benchmark
    public Map<String, String> apiRequest_constantBearerHeader() {
        return Map.of("Authorization", "Bearer " + ACCESS_TOKEN);
    }

    @Benchmark
    public Map<String, String> apiRequest_dpopProofEcP256() {
        return dpopEc.headers("GET", API, ACCESS_TOKEN);
    }

    @Benchmark
    public Map<String, String> apiRequest_dpopProofRsa2048() {
        return dpopRsa.headers("GET", API, ACCESS_TOKEN);
    }
}
