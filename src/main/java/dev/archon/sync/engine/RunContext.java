package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.history.HistoryWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mutable state of one run, filled in as its phases go (one thread writes; the tracker reads). */
final class RunContext {
    final String syncId;
    final SyncControl control;
    final HistoryWriter history;
    final ProgressTracker progress;
    final List<TableResult> tables = new ArrayList<>();
    final List<TableVerification> verification = new ArrayList<>();
    final Map<String, Boolean> sequences = new LinkedHashMap<>();
    final Map<String, Object> metrics = new LinkedHashMap<>();
    /** The archive the history row names (the last written). */
    String backupFile;
    /** Every archive this run wrote, by the label of the database it saved (a bidirectional run writes two). */
    final Map<String, String> backupFiles = new LinkedHashMap<>();
    double exportSeconds;
    double importSeconds;
    double indexingSeconds;
    long lockedAt;
    long committedAt;

    RunContext(SyncControl control, HistoryWriter history, ProgressTracker progress) {
        this.syncId = control.syncId();
        this.control = control;
        this.history = history;
        this.progress = progress;
    }

    /** Makes a cancel also cancel the statements running on these connections. */
    void cancelWith(Connection... connections) {
        control.onCancel(() -> FullSync.cancelQueries(connections));
    }

    void checkCancelled() {
        if (control.isCancelled()) {
            throw new ArchonSyncException(ErrorCode.CANCELLED, "cancelled: rolled back, the target is unchanged");
        }
    }

    /** Seconds the target's tables were locked (until commit or now). */
    double lockWindowSeconds() {
        if (lockedAt == 0) {
            return 0;
        }
        long end = committedAt == 0 ? System.nanoTime() : committedAt;
        return FullSync.round((end - lockedAt) / 1e9);
    }
}
