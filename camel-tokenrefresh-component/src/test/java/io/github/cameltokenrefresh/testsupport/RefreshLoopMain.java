package io.github.cameltokenrefresh.testsupport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The process the kill test kills: forced refreshes ({@code operation=refresh}) in a tight loop against a rotating
 * token endpoint, each saved to a {@link FileTokenStore}, until SIGKILL. Started by {@code KillDuringRotationIT}
 * with the test classpath.
 * <p>
 * Arguments: token URL, store directory, provider name, and optionally how many refreshes to make before ending
 * normally (default: until killed). The client secret and the bootstrap refresh token come from
 * the environment ({@code KILLTEST_CLIENT_SECRET}, {@code KILLTEST_REFRESH_TOKEN}), not the command line, which other
 * users can read. Prints one line per event to stdout, never a token:
 * <pre>
 * READY                       the Camel context started
 * OK n refresh_us save_us     refresh n succeeded (and is saved); how long it took, and the store's save within it
 * FAIL errorType              a refresh failed: the process exits with status 2
 * DONE                        the given number of refreshes is done: the process ends normally
 * </pre>
 */
public final class RefreshLoopMain {

    public static final String CLIENT_ID = "killtest-client";
    public static final String ENV_CLIENT_SECRET = "KILLTEST_CLIENT_SECRET";
    public static final String ENV_REFRESH_TOKEN = "KILLTEST_REFRESH_TOKEN";

    private RefreshLoopMain() {
    }

    /** A file store that reports how long each save took (write, fsync, rename, directory fsync). */
    static final class TimedFileTokenStore extends FileTokenStore {
        volatile long lastSaveMicros;

        TimedFileTokenStore(Path directory) {
            super(directory);
        }

        @Override
        public StoredToken save(String provider, String account, Token token, long expectedVersion) {
            long start = System.nanoTime();
            try {
                return super.save(provider, account, token, expectedVersion);
            } finally {
                lastSaveMicros = (System.nanoTime() - start) / 1000;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String tokenUrl = args[0];
        Path storeDir = Path.of(args[1]);
        String provider = args[2];
        long maxRefreshes = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE;
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.ERROR); // stdout is the protocol channel
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

        DefaultCamelContext context = new DefaultCamelContext();
        TokenRefreshComponent component = new TokenRefreshComponent();
        component.getConfiguration().setInsecureHttp(true);
        context.addComponent("tokenrefresh", component);
        TimedFileTokenStore store = new TimedFileTokenStore(storeDir);
        TokenRefreshConfiguration config = new TokenRefreshConfiguration();
        config.setTokenUrl(tokenUrl);
        config.setInsecureHttp(true);
        config.setStore(store);
        config.setClientId(CLIENT_ID);
        config.setClientSecret(System.getenv(ENV_CLIENT_SECRET));
        config.setRefreshToken(System.getenv(ENV_REFRESH_TOKEN)); // used only while the store is empty
        config.setResponseTimeout(5_000);
        context.getRegistry().bind(provider, config);
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        String uri = "tokenrefresh:" + provider + "?operation=refresh";
        out.println("READY");

        for (long n = 1; n <= maxRefreshes; n++) {
            long start = System.nanoTime();
            Exchange exchange = template.request(uri, e -> {
            });
            long micros = (System.nanoTime() - start) / 1000;
            Exception failure = exchange.getException();
            if (failure != null) {
                out.println("FAIL " + (failure instanceof TokenRefreshException t ? t.getErrorType()
                        : failure.getClass().getSimpleName()));
                context.stop();
                System.exit(2);
            }
            out.println("OK " + n + " " + micros + " " + store.lastSaveMicros);
        }
        context.stop();
        out.println("DONE");
    }
}
