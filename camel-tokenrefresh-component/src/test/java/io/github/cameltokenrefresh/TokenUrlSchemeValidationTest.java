package io.github.cameltokenrefresh;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain-http token URL (or revocation URL) fails when the route starts unless insecureHttp allows it, naming both
 * options and leaking no secret; https starts.
 */
class TokenUrlSchemeValidationTest extends ConfigurationFailures {

    @Test
    void plainHttpTokenUrlNeedsInsecureHttp() {
        Throwable failure = failsToStart(false, "tokenrefresh:p?tokenUrl=http://tokens.example.com/oauth/token&clientId=c"
                                                + SECRET_OPTIONS);

        assertMessageNames(failure, List.of("option tokenUrl", "http://", "insecureHttp"));
        assertNoSecrets(failure);
    }

    @Test
    void plainHttpTokenUrlIsCheckedCaseInsensitively() {
        Throwable failure = failsToStart(false, "tokenrefresh:p?tokenUrl=HTTP://tokens.example.com/oauth/token&clientId=c"
                                                + SECRET_OPTIONS);

        assertMessageNames(failure, List.of("option tokenUrl", "insecureHttp"));
        assertNoSecrets(failure);
    }

    @Test
    void theRevocationUrlIsCheckedAsTheTokenUrlIs() {
        Throwable plain = failsToStart(false, "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=c"
                                              + "&revocationUrl=http://tokens.example.com/oauth/revoke" + SECRET_OPTIONS);
        assertMessageNames(plain, List.of("option revocationUrl", "http://", "insecureHttp"));
        assertNoSecrets(plain);

        Throwable relative = failsToStart(true, "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=c"
                                                + "&revocationUrl=/oauth/revoke" + SECRET_OPTIONS);
        assertMessageNames(relative, List.of("option revocationUrl", "absolute http(s) URL"));
    }

    @Test
    void httpsTokenUrlWithoutInsecureHttpIsAccepted() throws Exception {
        // the control case for the two above: the same context and URI with https starts
        context = TestContexts.context(storeDir);
        TestContexts.component(context).getConfiguration().setInsecureHttp(false);
        TestContexts.addRoute(context, "direct:ok", "tokenrefresh:p?tokenUrl=" + TOKEN_URL + "&clientId=c" + SECRET_OPTIONS);
        context.start();
        assertTrue(context.isStarted());
        assertEquals(Set.of("p"), TestContexts.component(context).getProviders().keySet());
    }
}
