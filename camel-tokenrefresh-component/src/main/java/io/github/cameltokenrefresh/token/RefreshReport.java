package io.github.cameltokenrefresh.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one pass over a provider's due accounts did ({@code operation=refreshDue}, the schedule): the body of the
 * exchange. Bean getters, so Simple ({@code ${body.refreshed}}) and Jackson read it; {@link #toMap()} gives the same as
 * a map. Holds account names and error types, never a token.
 */
public final class RefreshReport {

    private static final RefreshReport SKIPPED = new RefreshReport(List.of(), Map.of(), 0, true);

    private final List<String> refreshed;
    private final Map<String, String> failed;
    private final int notDue;
    private final boolean skipped;

    private RefreshReport(List<String> refreshed, Map<String, String> failed, int notDue, boolean skipped) {
        this.refreshed = List.copyOf(refreshed);
        this.failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed)); // in the pass's order
        this.notDue = notDue;
        this.skipped = skipped;
    }

    /**
     * @param refreshed the accounts refreshed, in the order the pass took them (soonest expiry first)
     * @param failed    the accounts whose refresh failed, with the error type ({@link TokenRefreshException#getErrorType})
     * @param notDue    the accounts the pass looked at and left alone
     */
    public static RefreshReport of(List<String> refreshed, Map<String, String> failed, int notDue) {
        return new RefreshReport(refreshed, failed, notDue, false);
    }

    /** The pass did not run: the previous one was still running (it refreshes the same due accounts). */
    public static RefreshReport skipped() {
        return SKIPPED;
    }

    /** The accounts refreshed, in the order the pass took them. */
    public List<String> getRefreshed() {
        return refreshed;
    }

    /** The accounts whose refresh failed, each with its error type ({@code invalid_grant}, {@code http_503}, ...). */
    public Map<String, String> getFailed() {
        return failed;
    }

    /** The accounts the pass looked at and left alone (fresh by the time they were looked at). */
    public int getNotDue() {
        return notDue;
    }

    /** True when the pass did not run because the previous one still ran; the lists are then empty. */
    public boolean isSkipped() {
        return skipped;
    }

    /** {@code {refreshed: [...], failed: {account: errorType}, notDue: n}}, plus {@code skipped: true} when skipped. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("refreshed", refreshed);
        map.put("failed", failed);
        map.put("notDue", notDue);
        if (skipped) {
            map.put("skipped", true);
        }
        return map;
    }

    @Override
    public String toString() {
        return "RefreshReport" + toMap();
    }
}
