package io.github.cameltokenrefresh;

import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A wrong option fails when the route starts, with a message that names the option to fix, and never with a secret
 * from the URI in any message of the cause chain. The token URL's scheme: {@link TokenUrlSchemeValidationTest}; two
 * endpoints declaring one provider: {@link ProviderDeclarationConflictTest}.
 */
class ConfigurationValidationTest extends ConfigurationFailures {

    static Stream<Arguments> invalidEndpoints() {
        return Stream.of(
                // required options
                Arguments.of("missing tokenUrl, preset oauth2",
                             "tokenrefresh:p?preset=oauth2&clientId=c" + SECRET_OPTIONS,
                             List.of("option tokenUrl", "required")),
                Arguments.of("missing tokenUrl, name only and no defaults",
                             "tokenrefresh:p?refreshToken=" + REFRESH_TOKEN,
                             List.of("option tokenUrl", "required")),
                Arguments.of("missing clientId, basic (the default)",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + SECRET_OPTIONS,
                             List.of("option clientId", "required")),
                Arguments.of("missing clientId, basic",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientAuthentication=basic" + SECRET_OPTIONS,
                             List.of("option clientId", "required")),
                Arguments.of("missing clientSecret, basic",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientAuthentication=basic&clientId=c"
                                                                       + "&refreshToken=" + REFRESH_TOKEN,
                             List.of("option clientSecret", "required")),
                Arguments.of("missing clientId, post",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientAuthentication=post" + SECRET_OPTIONS,
                             List.of("option clientId", "required")),
                Arguments.of("missing clientSecret, post, even with an authKey",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientAuthentication=post&clientId=c&authKey="
                                                                            + AUTH_KEY + "&refreshToken=" + REFRESH_TOKEN,
                             List.of("option clientSecret", "required")),
                // enumerations
                Arguments.of("unknown preset",
                             "tokenrefresh:p?preset=foo&tokenUrl=" + TOKEN_URL + "&clientId=c" + SECRET_OPTIONS,
                             List.of("preset", "foo")),
                Arguments.of("unknown clientAuthentication",
                             "tokenrefresh:p?clientAuthentication=digest&tokenUrl=" + TOKEN_URL + "&clientId=c"
                                                                                              + SECRET_OPTIONS,
                             List.of("clientAuthentication", "digest")),
                // token URL
                Arguments.of("tokenUrl not a URL",
                             "tokenrefresh:p?tokenUrl=RAW(not a url)&clientId=c" + SECRET_OPTIONS,
                             List.of("option tokenUrl", "not a valid URL")),
                Arguments.of("tokenUrl not a URL, unencoded",
                             "tokenrefresh:p?tokenUrl=not a url&clientId=c" + SECRET_OPTIONS,
                             List.of("option tokenUrl", "not a valid URL")),
                Arguments.of("tokenUrl ftp",
                             "tokenrefresh:p?tokenUrl=ftp://x/y&clientId=c" + SECRET_OPTIONS,
                             List.of("option tokenUrl", "http(s)")),
                Arguments.of("tokenUrl relative",
                             "tokenrefresh:p?tokenUrl=/oauth/token&clientId=c" + SECRET_OPTIONS,
                             List.of("option tokenUrl", "absolute")),
                Arguments.of("tokenUrl without host",
                             "tokenrefresh:p?tokenUrl=https:///oauth/token&clientId=c" + SECRET_OPTIONS,
                             List.of("option tokenUrl", "host")),
                Arguments.of("tokenUrl with user info",
                             "tokenrefresh:p?tokenUrl=RAW(https://user:" + URL_PASSWORD
                                                                + "@tokens.example.com/oauth/token)&clientId=c"
                                                                + SECRET_OPTIONS,
                             List.of("option tokenUrl", "credentials")),
                // unknown options
                Arguments.of("unknown option on a defining endpoint",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&bogus=1&clientId=c" + SECRET_OPTIONS,
                             List.of("bogus")),
                Arguments.of("unknown option on a name-only endpoint",
                             "tokenrefresh:p?bogus=1&refreshToken=" + REFRESH_TOKEN,
                             List.of("bogus")),
                // the rate limit
                Arguments.of("zero maxTokenCallsPerSecond",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&maxTokenCallsPerSecond=0&clientId=c" + SECRET_OPTIONS,
                             List.of("option maxTokenCallsPerSecond", "positive")),
                Arguments.of("negative maxTokenCallsPerSecond",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&maxTokenCallsPerSecond=-2.5&clientId=c"
                                                                 + SECRET_OPTIONS,
                             List.of("option maxTokenCallsPerSecond", "positive", "-2.5")),
                Arguments.of("NaN maxTokenCallsPerSecond",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&maxTokenCallsPerSecond=NaN&clientId=c" + SECRET_OPTIONS,
                             List.of("option maxTokenCallsPerSecond", "positive", "NaN")),
                Arguments.of("zero maxAccounts",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&maxAccounts=0&clientId=c" + SECRET_OPTIONS,
                             List.of("option maxAccounts", "at least 1", "was 0")),
                // durations
                Arguments.of("zero backoffInitialDelay",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&backoffInitialDelay=0&clientId=c" + SECRET_OPTIONS,
                             List.of("option backoffInitialDelay", "positive")),
                Arguments.of("negative backoffInitialDelay",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&backoffInitialDelay=-1&clientId=c" + SECRET_OPTIONS,
                             List.of("option backoffInitialDelay", "positive")),
                Arguments.of("zero backoffMaxDelay",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&backoffMaxDelay=0s&clientId=c" + SECRET_OPTIONS,
                             List.of("option backoffMaxDelay", "positive")),
                Arguments.of("backoffMaxDelay shorter than backoffInitialDelay",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&backoffInitialDelay=10s&backoffMaxDelay=5s"
                                                                       + "&clientId=c" + SECRET_OPTIONS,
                             List.of("option backoffMaxDelay", "backoffInitialDelay")),
                Arguments.of("zero connectTimeout",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&connectTimeout=0s&clientId=c" + SECRET_OPTIONS,
                             List.of("option connectTimeout", "positive")),
                Arguments.of("zero responseTimeout",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&responseTimeout=0&clientId=c" + SECRET_OPTIONS,
                             List.of("option responseTimeout", "positive")),
                Arguments.of("zero defaultExpiresIn",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&defaultExpiresIn=0&clientId=c" + SECRET_OPTIONS,
                             List.of("option defaultExpiresIn", "positive")),
                Arguments.of("negative expiryMargin",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&expiryMargin=-1&clientId=c" + SECRET_OPTIONS,
                             List.of("option expiryMargin", "negative")),
                Arguments.of("negative refreshAhead",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&refreshAhead=-1&clientId=c" + SECRET_OPTIONS,
                             List.of("option refreshAhead", "negative")),
                // dialect fields and endpoint options
                Arguments.of("blank grantType",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&grantType=RAW( )&clientId=c" + SECRET_OPTIONS,
                             List.of("option grantType", "blank")),
                Arguments.of("blank refreshTokenField",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&refreshTokenField=RAW( )&clientId=c" + SECRET_OPTIONS,
                             List.of("option refreshTokenField", "blank")),
                Arguments.of("empty headerName",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&headerName=&clientId=c" + SECRET_OPTIONS,
                             List.of("option headerName", "blank")),
                Arguments.of("blank headerName",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&headerName=RAW( )&clientId=c" + SECRET_OPTIONS,
                             List.of("option headerName", "blank")),
                Arguments.of("blank headerName, percent-encoded",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&headerName=%20&clientId=c" + SECRET_OPTIONS,
                             List.of("option headerName", "blank")),
                Arguments.of("blank account",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&account=RAW( )&clientId=c" + SECRET_OPTIONS,
                             List.of("option account", "blank")),
                Arguments.of("unknown operation",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&operation=steal&clientId=c" + SECRET_OPTIONS,
                             List.of("operation", "steal")),
                // refresh token lifetime, fallback grant, store protection, token-call connections
                Arguments.of("zero refreshTokenLifetime",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&refreshTokenLifetime=0&clientId=c" + SECRET_OPTIONS,
                             List.of("option refreshTokenLifetime", "positive")),
                Arguments.of("negative refreshTokenExpiryWarning",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&refreshTokenExpiryWarning=-1&clientId=c"
                                                                       + SECRET_OPTIONS,
                             List.of("option refreshTokenExpiryWarning", "negative")),
                Arguments.of("unknown preset: the option and the values it takes",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&preset=aweeber&clientId=c" + SECRET_OPTIONS,
                             List.of("option preset", "'aweeber'", "did you mean aweber", "docs/providers.md")),
                Arguments.of("unknown encoding: the option and the values it takes",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&encoding=xml&clientId=c" + SECRET_OPTIONS,
                             List.of("option encoding", "'xml'", "form, json, query")),
                Arguments.of("refreshConcurrency below 1",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&refreshConcurrency=0&clientId=c" + SECRET_OPTIONS,
                             List.of("option refreshConcurrency", "at least 1")),
                Arguments.of("unknown fallbackGrant",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&fallbackGrant=implicit&clientId=c" + SECRET_OPTIONS,
                             List.of("fallbackGrant", "implicit")),
                Arguments.of("fallbackGrant=password without username",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&fallbackGrant=password&password=" + OTHER_SECRET
                                                                       + "&clientId=c" + SECRET_OPTIONS,
                             List.of("option username", "fallbackGrant=password")),
                Arguments.of("storeEncryptionKey not Base64 (and not echoed)",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&storeEncryptionKey=" + OTHER_SECRET + "&clientId=c"
                                                                       + SECRET_OPTIONS,
                             List.of("option storeEncryptionKey", "Base64")),
                Arguments.of("http.connectTimeout instead of connectTimeout",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&http.connectTimeout=5000&clientId=c" + SECRET_OPTIONS,
                             List.of("option http.connectTimeout", "use connectTimeout")),
                Arguments.of("http.clientConnectionManager",
                             "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&http.clientConnectionManager=#cm&clientId=c"
                                                                       + SECRET_OPTIONS,
                             List.of("option http.clientConnectionManager", "does not apply to token calls")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEndpoints")
    void invalidEndpointFailsAtStartNamingTheOption(String name, String uri, List<String> expected) {
        Throwable failure = failsToStart(true, uri);

        assertMessageNames(failure, expected);
        assertNoSecrets(failure);
    }

    @Test
    void anUnknownEventTypeOfAConsumerFailsAtStartNamingTheOption() throws Exception {
        context = TestContexts.context(storeDir);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=c&events=refreshed,renewed" + SECRET_OPTIONS)
                        .to("mock:events");
            }
        });
        Throwable failure = assertThrows(Exception.class, context::start);

        assertFalse(context.isStarted());
        assertMessageNames(failure, List.of("option events", "renewed"));
        assertNoSecrets(failure);
    }
}
