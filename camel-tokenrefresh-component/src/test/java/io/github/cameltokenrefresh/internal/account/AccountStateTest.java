package io.github.cameltokenrefresh.internal.account;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.internal.RefreshPolicy;
import io.github.cameltokenrefresh.internal.account.AccountState.Failure;
import io.github.cameltokenrefresh.internal.account.AccountState.Step;
import io.github.cameltokenrefresh.token.InvalidGrantException;
import io.github.cameltokenrefresh.token.RefreshBackoffException;
import io.github.cameltokenrefresh.token.Token;
import io.github.cameltokenrefresh.token.TokenEndpointUnavailableException;
import io.github.cameltokenrefresh.token.TokenRefreshException;
import io.github.cameltokenrefresh.token.TokenState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.cameltokenrefresh.internal.account.AccountFixture.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The two pure rules of the account, over the thresholds of a one-hour token issued at T: refresh-ahead from T+55m,
 * expiry margin from T+59m30s, expired at T+60m; a failure backs off until T+58m.
 */
class AccountStateTest {

    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
    private static final RefreshPolicy POLICY = AccountFixture.policy(null, Duration.ZERO);
    private static final Duration AHEAD = Duration.ofMinutes(55);
    private static final Duration MARGIN = Duration.ofMinutes(59).plusSeconds(30);
    private static final Duration EXPIRY = Duration.ofHours(1);
    private static final Duration BACKOFF_END = Duration.ofMinutes(58);
    private static final Duration MS = Duration.ofMillis(1);

    private static final AccountState FRESH = AccountState.EMPTY.withToken(token("at", "rt", T, EXPIRY), POLICY);
    private static final AccountState ONLY_REFRESH_TOKEN
            = AccountState.EMPTY.withToken(Token.ofRefreshToken("rt", T), POLICY);
    private static final InvalidGrantException REFUSED = new InvalidGrantException("crm", "acme", 400, "revoked");

    private static AccountState failing(AccountState s) {
        TokenRefreshException cause = new TokenEndpointUnavailableException("crm", "acme", 503, null, null, null);
        return s.withFailure(new Failure(cause, 1, T.plus(BACKOFF_END)));
    }

    private static AccountState dead(AccountState s) {
        return s.withDead(REFUSED, "rt");
    }

    private static long at(Duration offset) {
        return T.plus(offset).toEpochMilli();
    }

    static Stream<Arguments> phases() {
        return Stream.of(
                arguments("nothing held", AccountState.EMPTY, Duration.ZERO, TokenState.NO_TOKEN),
                arguments("only a refresh token", ONLY_REFRESH_TOKEN, Duration.ZERO, TokenState.NO_TOKEN),
                arguments("nothing held, failing", failing(AccountState.EMPTY), Duration.ZERO, TokenState.FAILING),
                arguments("just issued", FRESH, Duration.ZERO, TokenState.FRESH),
                arguments("just before the window", FRESH, AHEAD.minus(MS), TokenState.FRESH),
                arguments("window opens", FRESH, AHEAD, TokenState.REFRESH_AHEAD),
                arguments("just before the margin", FRESH, MARGIN.minus(MS), TokenState.REFRESH_AHEAD),
                arguments("margin reached", FRESH, MARGIN, TokenState.EXPIRED),
                arguments("truly expired", FRESH, EXPIRY.plusHours(3), TokenState.EXPIRED),
                arguments("failing but still fresh", failing(FRESH), AHEAD.minus(MS), TokenState.FRESH),
                arguments("failing in the window", failing(FRESH), AHEAD, TokenState.FAILING),
                arguments("failing after expiry", failing(FRESH), EXPIRY, TokenState.FAILING),
                arguments("dead although fresh", dead(FRESH), Duration.ZERO, TokenState.DEAD),
                arguments("dead without a token", dead(AccountState.EMPTY), Duration.ZERO, TokenState.DEAD),
                arguments("dead and failing", dead(failing(FRESH)), EXPIRY, TokenState.DEAD));
    }

    @ParameterizedTest(name = "{0} at +{2} is {3}")
    @MethodSource("phases")
    void phaseFollowsTheThresholds(String situation, AccountState state, Duration offset, TokenState expected) {
        assertEquals(expected, state.phase(at(offset)), situation);
    }

    static Stream<Arguments> steps() {
        return Stream.of(
                // state, now, waitInsideWindow, step
                arguments("fresh", FRESH, AHEAD.minus(MS), false, Step.SERVE),
                arguments("fresh, wanting to wait", FRESH, AHEAD.minus(MS), true, Step.SERVE),
                arguments("window", FRESH, AHEAD, false, Step.SERVE_AND_RENEW),
                arguments("window, wanting to wait", FRESH, AHEAD, true, Step.RENEW_AND_WAIT),
                arguments("end of window", FRESH, MARGIN.minus(MS), false, Step.SERVE_AND_RENEW),
                arguments("margin", FRESH, MARGIN, false, Step.RENEW_AND_WAIT),
                arguments("expired", FRESH, EXPIRY, false, Step.RENEW_AND_WAIT),
                arguments("nothing held", AccountState.EMPTY, Duration.ZERO, false, Step.RENEW_AND_WAIT),
                arguments("only a refresh token", ONLY_REFRESH_TOKEN, Duration.ZERO, false, Step.RENEW_AND_WAIT),
                arguments("failing, fresh", failing(FRESH), AHEAD.minus(MS), false, Step.SERVE),
                arguments("backing off in the window", failing(FRESH), AHEAD, false, Step.SERVE),
                arguments("backing off in the window, wanting to wait", failing(FRESH), AHEAD, true, Step.SERVE),
                arguments("backoff over in the window", failing(FRESH), BACKOFF_END, false, Step.SERVE_AND_RENEW),
                arguments("backoff over, wanting to wait", failing(FRESH), BACKOFF_END, true, Step.RENEW_AND_WAIT),
                arguments("backoff over in the margin", failing(FRESH), MARGIN, false, Step.RENEW_AND_WAIT),
                arguments("backing off, no token", failing(AccountState.EMPTY), BACKOFF_END.minus(MS), false,
                          Step.REFUSE),
                arguments("backoff over, no token", failing(AccountState.EMPTY), BACKOFF_END, false,
                          Step.RENEW_AND_WAIT),
                arguments("dead, still valid in the margin", dead(FRESH), EXPIRY.minus(MS), true, Step.SERVE),
                arguments("dead, in the window", dead(FRESH), AHEAD, false, Step.SERVE),
                arguments("dead and expired", dead(FRESH), EXPIRY, false, Step.REFUSE),
                arguments("dead without a token", dead(AccountState.EMPTY), Duration.ZERO, false, Step.REFUSE),
                arguments("dead long after a backoff", dead(failing(FRESH)), EXPIRY.plusDays(1), false, Step.REFUSE));
    }

    @ParameterizedTest(name = "{0} at +{2} (wait={3}): {4}")
    @MethodSource("steps")
    void nextStepFollowsTheThresholds(String situation, AccountState state, Duration offset, boolean wait,
                                      Step expected) {
        assertEquals(expected, state.next(at(offset), wait), situation);
    }

    @Test
    void marginsAreCappedByTheLifetimeOfAShortToken() {
        // 60 s token: margin min(30 s, 6 s) = 6 s, window max(6 s, min(5 min, 15 s)) = 15 s
        AccountState s = AccountState.EMPTY.withToken(token("at", "rt", T, Duration.ofSeconds(60)), POLICY);
        assertEquals(at(Duration.ofSeconds(45)), s.refreshAheadFrom());
        assertEquals(at(Duration.ofSeconds(54)), s.usableUntil());
        assertEquals(at(Duration.ofSeconds(60)), s.expiresAt());
        assertEquals(TokenState.FRESH, s.phase(at(Duration.ofSeconds(45)) - 1));
        assertEquals(TokenState.REFRESH_AHEAD, s.phase(at(Duration.ofSeconds(45))));
        assertEquals(TokenState.EXPIRED, s.phase(at(Duration.ofSeconds(54))));
    }

    @Test
    void aTokenIsValidUntilItTrulyExpiresWhateverTheMargin() {
        assertTrue(FRESH.validAt(at(EXPIRY.minus(MS))));
        assertFalse(FRESH.validAt(at(EXPIRY)));
        assertFalse(ONLY_REFRESH_TOKEN.validAt(at(Duration.ZERO)));
    }

    @Test
    void blockedWhileDeadOrUntilTheBackoffEnds() {
        assertFalse(FRESH.blockedAt(at(Duration.ZERO)));
        assertTrue(failing(FRESH).blockedAt(at(BACKOFF_END.minus(MS))));
        assertFalse(failing(FRESH).blockedAt(at(BACKOFF_END)));
        assertTrue(dead(FRESH).blockedAt(at(EXPIRY.plusDays(365))));
        assertFalse(dead(FRESH).healthy().blockedAt(at(Duration.ZERO)));
    }

    @Test
    void refusalOfADeadAccountIsAnInvalidGrantAndOfAFailingOneABackoff() {
        InvalidGrantException dead = assertInstanceOf(InvalidGrantException.class,
                                                      dead(FRESH).refusal("crm", "acme"));
        assertEquals(400, dead.getStatusCode());
        assertEquals("revoked", dead.getErrorDescription());
        RefreshBackoffException backoff = assertInstanceOf(RefreshBackoffException.class,
                                                           failing(FRESH).refusal("crm", "acme"));
        assertEquals(T.plus(BACKOFF_END), backoff.getNextAttempt());
    }

    @Test
    void freshUntilAsksForAValidTokenAtTheLaterInstantOutsideTheWindowNow() {
        assertTrue(FRESH.freshUntil(at(Duration.ofMinutes(50)), at(Duration.ZERO)));
        assertFalse(FRESH.freshUntil(at(EXPIRY), at(Duration.ZERO)), "expires within the window asked about");
        assertFalse(FRESH.freshUntil(at(AHEAD), at(AHEAD)), "inside the refresh-ahead window now");
    }

    @Test
    void aTokenWithoutAnAccessTokenHasNoInstants() {
        assertEquals(Long.MIN_VALUE, ONLY_REFRESH_TOKEN.refreshAheadFrom());
        assertEquals(Step.RENEW_AND_WAIT, ONLY_REFRESH_TOKEN.next(Long.MIN_VALUE + 1, false));
    }

    @Test
    void toStringShowsNoToken() {
        String text = dead(failing(FRESH)).withUnsaved(token("at-unsaved", "rt-unsaved", T, EXPIRY)).toString();
        assertFalse(text.contains("at-unsaved") || text.contains("rt-unsaved") || text.contains("=at")
                    || text.contains("=rt"), text);
    }
}
