package io.github.cameltokenrefresh.example;

import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import org.apache.camel.main.Main;

/**
 * Keeps an AWeber-style OAuth2 access token fresh with {@code tokenrefresh} and calls an API with it every 2 seconds.
 * <p>
 * The provider is configured once, in {@code application.properties}, as a bean named {@value #PROVIDER}; the route
 * only names it. By default the app first starts a local token + resource server ({@link LocalProviderServer}) that
 * issues 20-second access tokens, so the whole life of a token shows in under a minute: the first refresh, decorated
 * calls, scheduled refreshes before expiry, a token revoked by the provider that ends in a 401, one refresh and a
 * redelivery, and every rotated refresh token saved to the file store. {@code -Dexample.localServer=false} calls the
 * real provider instead.
 * <p>
 * Before it stops it logs what operations see: the health endpoint, the {@code tokenrefresh} dev console, the JMX
 * MBean and the Micrometer meters. Stops by itself after {@code example.calls} calls, prints a summary, and fails
 * (non-zero exit) if any API call failed, so CI can run it.
 */
public final class TokenRefreshExample {

    /** The provider name: the bean in application.properties and the path of every tokenrefresh endpoint. */
    static final String PROVIDER = "aweber";

    private TokenRefreshExample() {
    }

    public static void main(String[] args) throws Exception {
        LocalProviderServer localServer = new LocalProviderServer(PROVIDER);
        CallLog calls = new CallLog(PROVIDER);

        Main main = new Main();
        main.addMainListener(localServer);            // before configuration: starts the local server, sets its URLs
        main.addMainListener(calls);                  // after start and before stop: reports on the token source
        main.addMainListener(new OperationsReport(PROVIDER, localServer)); // before stop: health, console, JMX, meters
        // on 401 from the API: renew the token (one refresh for all concurrent 401s) and redeliver the call once
        main.configure().addRoutesBuilder(new TokenRefreshRouteConfiguration());
        main.configure().addRoutesBuilder(new ApiCallRoute(PROVIDER, calls, localServer));
        main.configure().addRoutesBuilder(new TokenEventRoute(PROVIDER));
        int exitCode;
        try {
            exitCode = main.run(args);
        } finally {
            localServer.close(); // also when Camel failed to start
        }

        boolean ok = calls.printSummary(localServer) && exitCode == 0;
        if (!ok) {
            // a failed build under exec:java, exit code 1 under plain java
            throw new ExampleFailedException(exitCode != 0
                    ? "Camel stopped with exit code " + exitCode + " (see the log above)"
                    : calls.failureSummary());
        }
    }

    /** Makes the run fail without a stack trace that only repeats the summary. */
    static final class ExampleFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        ExampleFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
