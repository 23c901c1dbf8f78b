package dev.archon.sync.history;

import java.util.List;

/**
 * get_sync_stats of both databases, combined, less the restore and undo runs (get_sync_stats counts
 * every row; a restore moves no data between the databases, so it is counted apart).
 *
 * @param days                the window, in days
 * @param totalSyncs          runs started in the window
 * @param successfulSyncs     of which completed
 * @param failedSyncs         of which failed
 * @param successRate         completed / total in percent (one decimal), null when there was no run
 * @param avgDurationSeconds  average duration of the runs that have one, weighted by each database's count; null when none
 * @param totalRowsSynced     sum of synced_rows
 * @param localToRemoteCount  runs local-to-remote
 * @param remoteToLocalCount  runs remote-to-local
 * @param restoreRuns         restore and undo runs in the window (not counted in the figures above)
 * @param rowsRestored        rows those runs loaded
 * @param warnings            databases that could not be read, and why
 */
public record HistoryStats(int days, long totalSyncs, long successfulSyncs, long failedSyncs, Double successRate,
                           Double avgDurationSeconds, long totalRowsSynced, long localToRemoteCount,
                           long remoteToLocalCount, long restoreRuns, long rowsRestored, List<String> warnings) {
    public HistoryStats {
        warnings = List.copyOf(warnings);
    }
}
