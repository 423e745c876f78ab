package io.github.cameltokenrefresh.token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refreshDue body: what a pass did, in the pass's order, as getters and as the map it used to be. */
class RefreshReportTest {

    @Test
    void keepsThePassOrderAndCannotBeChangedAfterwards() {
        List<String> refreshed = new ArrayList<>(List.of("b", "a"));
        Map<String, String> failed = new LinkedHashMap<>();
        failed.put("z", "invalid_grant");
        failed.put("c", "http_503");
        RefreshReport report = RefreshReport.of(refreshed, failed, 7);
        refreshed.add("late");
        failed.clear();

        assertEquals(List.of("b", "a"), report.getRefreshed());
        assertEquals(List.of("z", "c"), List.copyOf(report.getFailed().keySet()));
        assertEquals(7, report.getNotDue());
        assertFalse(report.isSkipped());
        assertThrows(UnsupportedOperationException.class, () -> report.getRefreshed().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> report.getFailed().put("x", "y"));
    }

    @Test
    void theMapFormNamesSkippedOnlyWhenThePassDidNotRun() {
        assertEquals("{refreshed=[a], failed={b=store}, notDue=1}",
                     RefreshReport.of(List.of("a"), Map.of("b", "store"), 1).toMap().toString());
        RefreshReport skipped = RefreshReport.skipped();
        assertTrue(skipped.isSkipped());
        assertEquals(Map.of("refreshed", List.of(), "failed", Map.of(), "notDue", 0, "skipped", true), skipped.toMap());
    }
}
