package dev.archon.sync.history;

import java.util.List;
import java.util.Map;

/**
 * One page of the merged history.
 *
 * @param total    rows matching the filter in both databases
 * @param records  the page's rows (column name to value, plus "database"), in the filter's order
 * @param warnings databases that could not be read, and why; empty when both were read
 */
public record HistoryPage(long total, List<Map<String, Object>> records, List<String> warnings) {
    public HistoryPage {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
    }
}
