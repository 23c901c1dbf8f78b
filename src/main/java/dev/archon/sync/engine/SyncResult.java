package dev.archon.sync.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run, as recorded in archon_sync_history.
 *
 * @param syncId        the run's id
 * @param direction     its direction
 * @param status        completed, failed or cancelled
 * @param exitCode      the documented exit code (0 when completed)
 * @param errorMessage  one line, or null
 * @param tables        per table: rows, duration
 * @param verification  per table: counts and checksums compared
 * @param backupFile    the backup archive, or null
 * @param metrics       durations (seconds), sizes, the lock window, as put in metadata
 * @param operation     "sync", "restore" or "undo"
 * @param undoneSyncId  for an undo, the run it undid; else null
 */
public record SyncResult(String syncId, Direction direction, String status, int exitCode, String errorMessage,
                         List<TableResult> tables, List<TableVerification> verification, String backupFile,
                         Map<String, Object> metrics, String operation, String undoneSyncId) {
    public SyncResult {
        tables = List.copyOf(tables);
        verification = List.copyOf(verification);
        metrics = Map.copyOf(metrics);
        operation = operation == null ? "sync" : operation;
    }

    /** A sync's result (operation "sync"). */
    public SyncResult(String syncId, Direction direction, String status, int exitCode, String errorMessage,
                      List<TableResult> tables, List<TableVerification> verification, String backupFile,
                      Map<String, Object> metrics) {
        this(syncId, direction, status, exitCode, errorMessage, tables, verification, backupFile, metrics, "sync", null);
    }

    public boolean completed() {
        return "completed".equals(status);
    }

    @JsonProperty
    public long rows() {
        return tables.stream().mapToLong(TableResult::rowCount).sum();
    }
}
