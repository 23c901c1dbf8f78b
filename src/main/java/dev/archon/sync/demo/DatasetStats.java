package dev.archon.sync.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link ArchonDataset#generate} wrote.
 *
 * @param rowsPerTable rows written per table, in load order (unmodifiable)
 * @param elapsedMillis wall-clock time of the whole generation, including ANALYZE
 */
public record DatasetStats(Map<String, Long> rowsPerTable, long elapsedMillis) {
    public DatasetStats {
        rowsPerTable = Collections.unmodifiableMap(new LinkedHashMap<>(rowsPerTable));
    }

    public long totalRows() {
        return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
