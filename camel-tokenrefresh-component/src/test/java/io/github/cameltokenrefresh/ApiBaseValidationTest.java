package io.github.cameltokenrefresh;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A wrong apiBase fails when the route starts, naming the option and why, and leaking no secret. */
class ApiBaseValidationTest extends ConfigurationFailures {

    private Throwable startsWith(String apiBase) {
        return failsToStart(false, "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=c&apiBase=" + apiBase
                                   + SECRET_OPTIONS);
    }

    @Test
    void plainHttpNeedsInsecureHttp() {
        Throwable failure = startsWith("http://api.example.com/v1");
        assertMessageNames(failure, List.of("option apiBase", "http://", "insecureHttp"));
        assertNoSecrets(failure);
    }

    @Test
    void notAnAbsoluteUrl() {
        assertMessageNames(startsWith("api.example.com/v1"), List.of("option apiBase", "absolute http(s) URL"));
    }

    @Test
    void credentialsInTheBase() {
        assertMessageNames(startsWith("https://user:pw@api.example.com"), List.of("option apiBase", "no credentials"));
    }

    @Test
    void oneWrongUrlOfSeveral() {
        assertMessageNames(startsWith("https://api.example.com,ftp://files.example.com"),
                           List.of("option apiBase", "ftp://files.example.com"));
    }
}
