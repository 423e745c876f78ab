package io.github.cameltokenrefresh.example;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.token.AccountStatus;
import io.github.cameltokenrefresh.token.AccountTokens;
import io.github.cameltokenrefresh.token.ProviderTokens;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the API calls and tells what happens to the token. Everything it logs comes from {@link AccountStatus}
 * (state, expiry, counts) and the token store's record version: never a token value.
 */
final class CallLog extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.cameltokenrefresh.example");
    private static final String ACCOUNT = "default"; // the endpoint's default account
    static final String CALL_NUMBER = "exampleCallNumber";
    private static final String COUNTED = "exampleCallCounted";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final String provider;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final AtomicInteger otherFailures = new AtomicInteger();
    private final AtomicInteger redelivered = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile int plannedCalls;
    private volatile BaseMainSupport main;
    private volatile long refreshesSeen;
    private volatile boolean timingExplained;
    private volatile String apiPath;
    private volatile TokenStore store;
    private volatile AccountTokens source;

    CallLog(String provider) {
        this.provider = provider;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void afterStart(BaseMainSupport main) {
        this.main = main;
        CamelContext context = main.getCamelContext();
        init(context);
        TokenRefreshConfiguration config = configuration(context);
        LOG.info("Provider '{}': token URL {}", provider, config != null && config.getTokenUrl() != null
                ? config.getTokenUrl() : "(the preset's)");
        LOG.info("Provider '{}': refresh tokens are saved to {} (owner-only file; a rotated refresh token is saved "
                 + "before its access token is used)", provider, storeLocation());
        long maxSeconds = main.configure().getDurationMaxSeconds();
        LOG.info("One API call every {}; the example stops by itself after {} calls{}", context.resolvePropertyPlaceholders(
                "{{example.period}}"), plannedCalls, maxSeconds > 0 ? " (or " + maxSeconds + " s at the latest)" : "");
        if (config != null && config.getRefreshInterval() > 0) {
            LOG.info("Provider '{}': a scheduled refresh runs every {} s and renews the token once it has less than {} s "
                     + "left (refreshInterval, refreshWindow)", provider, seconds(config.getRefreshInterval()),
                     seconds(config.getRefreshWindow()));
        }
    }

    /** The provider's token source and store, and the API path; the provider was started with the route. */
    private synchronized void init(CamelContext context) {
        if (source == null) {
            apiPath = URI.create(context.resolvePropertyPlaceholders("{{example.resourceUrl}}")).getPath();
            plannedCalls = Integer.parseInt(context.resolvePropertyPlaceholders("{{example.calls}}"));
            ProviderTokens started = component(context).tokens(provider);
            store = component(context).store(provider);
            source = started.account(ACCOUNT);
        }
    }

    // ------------------------------------------------------------------ the route's steps

    void beforeCall(Exchange exchange) {
        int n = calls.incrementAndGet();
        exchange.setProperty(CALL_NUMBER, n);
        init(exchange.getContext()); // in case the timer fires before afterStart ran
        AccountStatus status = source.status();
        switch (status.state()) {
            case NO_TOKEN -> LOG.info("#{} no access token in memory yet: tokenrefresh takes the saved one if it is "
                                      + "still good, or refreshes first while this call waits", n);
            case REFRESH_AHEAD -> LOG.info("#{} the access token has {} s left, inside its refresh-ahead window: this "
                                           + "call still uses it, and one background refresh gets the next one",
                                           n, secondsLeft(status));
            case EXPIRED -> LOG.info("#{} the access token is (nearly) expired: this call waits for a refresh", n);
            case FAILING -> {
                Instant next = status.nextAttemptAt();
                if (next != null && next.isAfter(Instant.now())) {
                    LOG.info("#{} the last refresh failed; tokenrefresh backs off until {}, so this call fails fast",
                             n, time(next));
                } else {
                    LOG.info("#{} the last refresh failed; the backoff is over, this call tries again", n);
                }
            }
            case DEAD -> LOG.info("#{} the refresh token was refused: re-authorize and supply a new one", n);
            default -> {
                // FRESH: nothing to tell, the token is handed out without any I/O
            }
        }
    }

    void afterCall(Exchange exchange) {
        succeeded.incrementAndGet();
        exchange.setProperty(COUNTED, true);
        AccountStatus status = source.status();
        boolean renewed = status.refreshes() > refreshesSeen;
        refreshesSeen = status.refreshes();
        // set by Camel's error handler when the 401 route configuration redelivered the call with a renewed token
        boolean afterRedelivery = exchange.getMessage().getHeader(Exchange.REDELIVERED, false, Boolean.class);
        if (afterRedelivery) {
            redelivered.incrementAndGet();
        }
        LOG.info("#{} GET {} -> {}HTTP {} | token expires {} (in {} s){}", exchange.getProperty(CALL_NUMBER), apiPath,
                 afterRedelivery ? "HTTP 401, token renewed (one refresh), call redelivered -> " : "",
                 exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE), time(status.expiresAt()),
                 secondsLeft(status), renewed ? ", new token" : "");
        explainTimingOnce(exchange.getContext(), status);
    }

    void failedCall(Exchange exchange) {
        exchange.setProperty(COUNTED, true);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Object n = exchange.getProperty(CALL_NUMBER);
        if (e instanceof HttpOperationFailedException http) {
            (http.getStatusCode() == 401 ? unauthorized : otherFailures).incrementAndGet();
            LOG.warn("#{} GET {} -> HTTP {} {}", n, apiPath, http.getStatusCode(), http.getStatusText());
        } else {
            otherFailures.incrementAndGet();
            // tokenrefresh's exceptions name the provider, the account and what to do, never a token or secret
            LOG.warn("#{} no API call: {}", n, e == null ? "unknown error" : e.getMessage());
        }
    }

    /**
     * The route's onCompletion, after every call. A call the 401 route configuration could not save (the renewed
     * token was refused too, or no new token could be had) fails the exchange without passing through
     * {@link #failedCall}: it is counted here. After the last call, the example stops.
     */
    void callDone(Exchange exchange) {
        if (exchange.getProperty(COUNTED) == null) {
            // onCompletion works on a copy of the exchange, with the failure moved to EXCEPTION_CAUGHT
            Exception e = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            (e instanceof io.github.cameltokenrefresh.token.TokenRejectedException ? unauthorized : otherFailures)
                    .incrementAndGet();
            LOG.warn("#{} failed: {}", exchange.getProperty(CALL_NUMBER), e == null ? "unknown error" : e.getMessage());
        }
        if (finished.incrementAndGet() == plannedCalls && main instanceof MainSupport running) {
            running.completed(); // Camel Main stops, after the listeners' beforeStop
        }
    }

    // ------------------------------------------------------------------ summary

    /** Logs the summary; true when every API call succeeded. */
    boolean printSummary(LocalProviderServer local) {
        int total = calls.get();
        boolean ok = total > 0 && succeeded.get() == total && (plannedCalls == 0 || total == plannedCalls);
        LOG.info("---------------------------------------------------------------- summary");
        LOG.info("API calls: {} ({} succeeded, {} of them after a 401 and one redelivery; {} failed with 401, {} failed "
                 + "otherwise)", total, succeeded.get(), redelivered.get(), unauthorized.get(), otherFailures.get());
        AccountTokens tokens = source;
        if (tokens != null) {
            AccountStatus s = tokens.status(); // still readable after Camel stopped
            LOG.info("Token endpoint: {} calls; refreshes: {} succeeded, {} failed", s.tokenCalls(), s.refreshes(),
                     s.failures());
        }
        StrictTokenServer server = local.server();
        if (server != null) {
            LOG.info("Local server: {} token calls ({} rejected), {} API calls ({} with a missing or invalid token)",
                     server.tokenCalls(), server.rejections().size(), server.resourceCalls(),
                     server.unauthorizedResourceCalls());
            // reasons name the wire-format problem only, never a token or secret
            server.rejections().forEach(reason -> LOG.warn("Local server rejected a token call: {}", reason));
        }
        savedRecord();
        LOG.info("Result: {}", ok ? "OK" : "FAILED, " + failureSummary());
        return ok;
    }

    String failureSummary() {
        int total = calls.get();
        return total == 0 ? "no API call was made"
                : succeeded.get() < total ? (total - succeeded.get()) + " of " + total + " API calls failed"
                : "only " + total + " of " + plannedCalls + " API calls were made";
    }

    private void savedRecord() {
        TokenStore s = store;
        if (s == null) {
            return;
        }
        StoredToken record = s.load(provider, ACCOUNT);
        if (record == null) {
            LOG.info("Token store {}: no record saved", storeLocation());
            return;
        }
        LOG.info("Token store {}: record version {} (+1 per save){}", storeLocation(), record.version(),
                 permissions());
    }

    // ------------------------------------------------------------------ helpers

    /** Once, after the first token: what the refresh timing means for a token of this lifetime. */
    private void explainTimingOnce(CamelContext context, AccountStatus status) {
        TokenRefreshConfiguration config = configuration(context);
        if (timingExplained || config == null || status.state() != TokenState.FRESH || status.lastRefreshAt() == null) {
            return;
        }
        timingExplained = true;
        // the component's own timing, as the account's status shows it: margins are capped by a share of the lifetime
        Duration lifetime = Duration.between(status.lastRefreshAt(), status.expiresAt());
        Duration ahead = Duration.between(status.refreshAheadFrom(), status.expiresAt());
        Duration margin = Duration.between(status.expiryMarginFrom(), status.expiresAt());
        String schedule = config.getRefreshInterval() > 0
                ? " The schedule renews it first, once it has less than " + seconds(config.getRefreshWindow())
                  + " s left, so no caller ever waits for a refresh."
                : "";
        LOG.info("The access token lives {} s. It is handed out as is until {} s before expiry (refreshAhead), then "
                 + "renewed in the background while still in use; a caller would wait only in the last {} s "
                 + "(expiryMargin).{}", seconds(lifetime.toMillis()), seconds(ahead.toMillis()), seconds(margin.toMillis()),
                 schedule);
    }

    private String storeLocation() {
        TokenStore s = store;
        if (s instanceof FileTokenStore file) {
            // provider and account names made of letters, digits, '-' and '_' are used as they are
            return file.getDirectory().resolve(provider).resolve(ACCOUNT + ".json").toString();
        }
        return String.valueOf(s);
    }

    private String permissions() {
        try {
            return ", file permissions " + PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(storeLocation())));
        } catch (IOException | UnsupportedOperationException | java.nio.file.InvalidPathException e) {
            return "";
        }
    }

    private static TokenRefreshComponent component(CamelContext context) {
        return context.getComponent("tokenrefresh", TokenRefreshComponent.class);
    }

    private TokenRefreshConfiguration configuration(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(provider, TokenRefreshConfiguration.class);
    }

    private static long secondsLeft(AccountStatus status) {
        Instant expiresAt = status.expiresAt();
        return expiresAt == null ? 0 : Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
    }

    private static long seconds(long millis) {
        return Math.round(millis / 1000.0);
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }
}
