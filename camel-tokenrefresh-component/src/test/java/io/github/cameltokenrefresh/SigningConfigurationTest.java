package io.github.cameltokenrefresh;

import java.util.List;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.internal.jose.TestKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The options of signed client authentication, mTLS, the JWT bearer grant and DPoP fail at route start naming the
 * option, and never show a password or secret from the URI.
 */
class SigningConfigurationTest extends ConfigurationFailures {

    private static final String BASE = "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&refreshToken=" + REFRESH_TOKEN;
    private static final String RSA = TestKeys.file("client-rsa.p12").toString();
    private static final String EC = TestKeys.file("client-ec.p12").toString();
    private static final String KEYSTORE_PASSWORD = "&signingKeystorePassword=" + TestKeys.PASSWORD;

    static Stream<Arguments> invalidEndpoints() {
        return Stream.of(
                Arguments.of("private_key_jwt without a key",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c",
                             List.of("option signingKeystore", "private_key_jwt")),
                Arguments.of("private_key_jwt without clientId",
                             BASE + "&clientAuthentication=private_key_jwt&signingKeystore=" + RSA + KEYSTORE_PASSWORD,
                             List.of("option clientId", "private_key_jwt")),
                Arguments.of("keystore and PEM file both",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeystore=" + RSA
                             + KEYSTORE_PASSWORD + "&signingKeyFile=" + TestKeys.file("client-rsa.key.pem"),
                             List.of("option signingKeyFile", "choose one")),
                Arguments.of("wrong keystore password",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeystore=" + RSA
                             + "&signingKeystorePassword=" + OTHER_SECRET,
                             List.of("option signingKeystore", "password")),
                Arguments.of("missing keystore",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeystore=/nonexistent.p12"
                             + KEYSTORE_PASSWORD,
                             List.of("option signingKeystore", "not a readable file")),
                Arguments.of("unknown alias",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeystore=" + RSA
                             + KEYSTORE_PASSWORD + "&signingKeyAlias=nope",
                             List.of("option signingKeystore", "'nope'")),
                Arguments.of("ES256 with an RSA key",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeystore=" + RSA
                             + KEYSTORE_PASSWORD + "&signingAlgorithm=ES256",
                             List.of("option signingAlgorithm", "EC")),
                Arguments.of("unknown algorithm",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeystore=" + EC
                             + KEYSTORE_PASSWORD + "&signingAlgorithm=HS256",
                             List.of("option signingAlgorithm", "RS256, PS256 or ES256")),
                Arguments.of("PEM file that is a certificate",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeyFile="
                             + TestKeys.file("client-rsa.cert.pem"),
                             List.of("option signingKeyFile", "BEGIN PRIVATE KEY")),
                Arguments.of("a certificate file with a keystore",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeystore=" + RSA
                             + KEYSTORE_PASSWORD + "&signingCertificateFile=" + TestKeys.file("client-rsa.cert.pem"),
                             List.of("option signingCertificateFile", "signingKeyFile")),
                Arguments.of("a signing key nothing uses",
                             BASE + "&clientId=c&clientSecret=" + CLIENT_SECRET + "&signingKeystore=" + RSA
                             + KEYSTORE_PASSWORD,
                             List.of("option signingKeystore", "private_key_jwt")),
                Arguments.of("client assertion lifetime under a second",
                             BASE + "&clientAuthentication=private_key_jwt&clientId=c&signingKeystore=" + RSA
                             + KEYSTORE_PASSWORD + "&clientAssertionLifetime=500",
                             List.of("option clientAssertionLifetime", "at least 1s")),
                Arguments.of("client assertion audience without a JWT method",
                             BASE + "&clientId=c&clientSecret=" + CLIENT_SECRET + "&clientAssertionAudience=https://a",
                             List.of("option clientAssertionAudience", "private_key_jwt")),
                Arguments.of("client_secret_jwt with a short secret",
                             BASE + "&clientAuthentication=client_secret_jwt&clientId=c&clientSecret=" + CLIENT_SECRET,
                             List.of("option clientSecret", "32 bytes")),
                Arguments.of("tls_client_auth without a client certificate",
                             BASE + "&clientAuthentication=tls_client_auth&clientId=c",
                             List.of("option sslContextParameters", "key managers")),
                Arguments.of("jwt_bearer without a key",
                             BASE + "&clientId=c&clientSecret=" + CLIENT_SECRET + "&fallbackGrant=jwt_bearer",
                             List.of("option signingKeystore", "jwt_bearer")),
                Arguments.of("jwt_bearer without an issuer",
                             BASE + "&clientAuthentication=none&fallbackGrant=jwt_bearer&signingKeystore=" + RSA
                             + KEYSTORE_PASSWORD,
                             List.of("option jwtBearerIssuer", "iss")),
                Arguments.of("a JWT bearer option without the grant",
                             BASE + "&clientId=c&clientSecret=" + CLIENT_SECRET + "&jwtBearerSubject=someone",
                             List.of("option jwtBearerSubject", "jwt_bearer")),
                Arguments.of("dpopKeystore without dpop",
                             BASE + "&clientId=c&clientSecret=" + CLIENT_SECRET + "&dpopKeystore=" + EC,
                             List.of("option dpopKeystore", "dpop=true")),
                Arguments.of("dpopKeystore with a wrong password",
                             BASE + "&clientId=c&clientSecret=" + CLIENT_SECRET + "&dpop=true&dpopKeystore=" + EC
                             + "&dpopKeystorePassword=" + OTHER_SECRET,
                             List.of("option dpopKeystore", "password")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEndpoints")
    void failsAtRouteStartNamingTheOption(String description, String uri, List<String> fragments) {
        Throwable failure = failsToStart(false, uri);
        assertMessageNames(failure, fragments);
        assertNoSecrets(failure);
    }
}
