package dev.archon.sync.engine;

/**
 * What happened to one table in a run (an element of archon_sync_history.tables_synced).
 *
 * @param tableName       "public.archon_tasks"
 * @param rowCount        rows loaded into the target
 * @param durationSeconds seconds the table's copy took
 * @param bytes           COPY bytes streamed
 * @param format          "binary" or "text"
 */
public record TableResult(String tableName, long rowCount, double durationSeconds, long bytes, String format) {
}
