package dev.archon.sync.history;

import java.math.BigDecimal;

/** The final fields of a run's history row; JSON fields are JSON text. Nullable numbers mean "unknown". */
public record HistoryOutcome(String status, Integer durationSeconds, Long totalRows, Long syncedRows, String tablesJson,
                             String verificationJson, String errorMessage, String errorDetailsJson, BigDecimal exportSizeMb,
                             Integer exportSeconds, Integer importSeconds, Integer indexingSeconds, String backupFile,
                             String metadataJson) {
}
