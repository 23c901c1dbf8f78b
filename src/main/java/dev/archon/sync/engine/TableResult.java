package dev.archon.sync.engine;

/**
 * What happened to one table in a run (an element of archon_sync_history.tables_synced).
 *
 * @param tableName       "public.archon_tasks"
 * @param rowCount        rows written to the target (loaded by a full copy; inserted + updated + deleted by a changes-only apply)
 * @param durationSeconds seconds the table's copy or apply took
 * @param bytes           COPY bytes streamed (rows, and for a changes-only apply the row hashes too)
 * @param format          "binary" or "text"
 * @param mode            "full" or "changes"
 * @param inserted        rows inserted (a full copy: every row loaded)
 * @param updated         rows updated (a full copy: 0)
 * @param deleted         rows deleted (a full copy: every row the target held)
 * @param statements      SQL statements (round trips) the table cost
 */
public record TableResult(String tableName, long rowCount, double durationSeconds, long bytes, String format, String mode,
                          long inserted, long updated, long deleted, int statements) {
    /** A table loaded in full: every row inserted after the target's were deleted. */
    public static TableResult full(String tableName, long rowCount, double durationSeconds, long bytes, String format,
                                   long deleted) {
        return new TableResult(tableName, rowCount, durationSeconds, bytes, format, "full", rowCount, 0, deleted, 2);
    }
}
