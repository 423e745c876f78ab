package io.github.cameltokenrefresh;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the configuration tests share: the secrets their URIs carry, a context over a temporary store directory
 * stopped after each test, starting it when it must fail, and the checks that the failure names the option and leaks
 * no secret anywhere in its cause chain.
 */
abstract class ConfigurationFailures {

    /** Never contacted: every case here fails before the first token call. */
    static final String TOKEN_URL = "https://tokens.example.com/oauth/token";

    static final String CLIENT_SECRET = "TOPSECRET-1";
    static final String REFRESH_TOKEN = "TOPSECRET-2";
    static final String AUTH_KEY = "TOPSECRET-3";
    static final String URL_PASSWORD = "TOPSECRET-4";
    static final String OTHER_SECRET = "TOPSECRET-5";
    static final List<String> SECRETS = List.of(CLIENT_SECRET, REFRESH_TOKEN, AUTH_KEY, URL_PASSWORD, OTHER_SECRET);

    /** Secrets every failing URI carries, so each case also checks that none leaks. */
    static final String SECRET_OPTIONS = "&clientSecret=" + CLIENT_SECRET + "&refreshToken=" + REFRESH_TOKEN;

    @TempDir
    Path storeDir;

    DefaultCamelContext context;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    /** Adds one route per URI to a fresh context and starts it; the failure may come from addRoutes or start. */
    Throwable failsToStart(boolean insecureHttp, String... uris) {
        context = TestContexts.context(storeDir);
        TestContexts.component(context).getConfiguration().setInsecureHttp(insecureHttp);
        Throwable failure = assertThrows(Exception.class, () -> {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int i = 0; i < uris.length; i++) {
                        from("direct:route" + i).routeId("route" + i).to(uris[i]);
                    }
                }
            });
            context.start();
        }, "the context must not start with " + List.of(uris));
        assertFalse(context.isStarted(), "the context must not be running");
        return failure;
    }

    /**
     * The deepest message in the cause chain that contains every fragment (the component's own, not Camel's wrapping);
     * fails showing the chain otherwise.
     */
    static String assertMessageNames(Throwable failure, List<String> fragments) {
        String found = null;
        for (Throwable t : chain(failure)) {
            String message = t.getMessage();
            if (message != null && fragments.stream().allMatch(message::contains)) {
                found = message;
            }
        }
        if (found == null) {
            fail("no message in the cause chain contains all of " + fragments + ":\n" + describe(failure));
        }
        return found;
    }

    /** No secret in any message, toString or stack trace of the chain (causes and suppressed). */
    static void assertNoSecrets(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        for (Throwable t : chain(failure)) {
            for (String secret : SECRETS) {
                assertFalse(String.valueOf(t.getMessage()).contains(secret),
                            () -> "secret " + secret + " in the message of " + t.getClass().getName());
                assertFalse(String.valueOf(t.getLocalizedMessage()).contains(secret),
                            () -> "secret " + secret + " in the localized message of " + t.getClass().getName());
                assertFalse(t.toString().contains(secret), () -> "secret " + secret + " in " + t.getClass().getName());
            }
        }
        for (String secret : SECRETS) {
            assertFalse(trace.toString().contains(secret), () -> "secret " + secret + " in the stack trace");
        }
    }

    /** The exception, its causes and their suppressed exceptions, each once. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> all = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(failure, all, seen);
        return all;
    }

    private static void collect(Throwable t, List<Throwable> all, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        all.add(t);
        for (Throwable s : t.getSuppressed()) {
            collect(s, all, seen);
        }
        collect(t.getCause(), all, seen);
    }

    private static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t : chain(failure)) {
            sb.append("  ").append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
