package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.Json;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.db.SilentLinkException;
import dev.archon.sync.history.HistoryOutcome;
import dev.archon.sync.history.HistoryWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recorded run: inserts the history row, applies the plan, and records the outcome whatever
 * happens (completed, failed with the reason, or cancelled). The target is unchanged unless the
 * outcome is completed.
 */
final class SyncRunner {
    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

    private final RunWork work;
    private final RunWork.Description description;
    private final String sourceLabel;
    private final Database target;
    private final SyncRequest request;
    private final SyncControl control;
    private final SyncListener listener;
    private final HistoryWriter history;
    private Database alsoRecordOn;
    private Instant startedAt;

    /**
     * @param sourceLabel "local" or "remote": where the rows come from (for a restore, the database the backup saved)
     * @param request     the options: triggered_by, backup, lock timeout
     */
    SyncRunner(RunWork work, RunWork.Description description, String sourceLabel, Database target, SyncRequest request,
               SyncControl control, SyncListener listener, HistoryWriter history) {
        this.work = work;
        this.description = description;
        this.sourceLabel = sourceLabel;
        this.target = target;
        this.request = request;
        this.control = control;
        this.listener = listener;
        this.history = history;
    }

    /** Also writes the finished run's row to this database's history (the source's), best effort. */
    SyncRunner alsoRecordOn(Database source) {
        this.alsoRecordOn = source;
        return this;
    }

    SyncResult run(Instant startedAt) throws SQLException {
        this.startedAt = startedAt;
        history.start(control.syncId(), description.direction().value(), request.triggeredBy(), sourceLabel, target.label(),
                startedAt, Json.write(startMetadata()));
        log.info("{} {} started: {} tables, {} rows to load", description.operation(), description.direction(),
                description.tables().size(), description.totalRows());
        try (ProgressTracker progress = new ProgressTracker(history, listener, control.syncId())) {
            RunContext run = new RunContext(control, history, progress);
            progress.totalRows(description.totalRows());
            String status = "completed";
            ArchonSyncException failure = null;
            try {
                work.apply(run);
            } catch (ArchonSyncException e) {
                // A silent link under another message is said as such; one already said (COMMIT in doubt) keeps its code.
                SilentLinkException silent = LinkFailures.silentLink(e);
                failure = silent != null && !e.getMessage().contains(silent.getMessage()) ? classify(e, run) : e;
            } catch (SQLException | IOException | RuntimeException e) {
                failure = classify(e, run);
            }
            if (failure != null && control.isCancelled()) {
                failure = new ArchonSyncException(ErrorCode.CANCELLED, "cancelled during " + phaseOf(run)
                        + ": rolled back, the target is unchanged", failure);
            }
            if (failure != null) {
                status = failure.code() == ErrorCode.CANCELLED ? "cancelled" : "failed";
                log.warn("sync {}: {}", status, failure.getMessage());
            }
            progress.close();
            return finish(run, startedAt, status, failure);
        }
    }

    private ArchonSyncException classify(Exception e, RunContext run) {
        String waiting = run.progress.waitingOn();
        String where = waiting != null ? phaseOf(run) + ", while waiting for the target's lock on " + waiting
                : phaseOf(run) + (run.progress.rowsDone() >= 0 && currentTable(run) != null ? " of " + currentTable(run) : "");
        SilentLinkException silent = LinkFailures.silentLink(e);
        if (silent != null) {
            return new ArchonSyncException(ErrorCode.TRANSFER_FAILED, silent.getMessage() + " during the " + where
                    + "; the run is abandoned and its transaction never commits: the target is unchanged", e);
        }
        if (e instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
            return new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "could not lock the target's tables within "
                    + request.lockTimeout().toSeconds() + " s (Archon is using them): try again, or raise --lock-timeout", e);
        }
        if (e instanceof SQLException sql) {
            return ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "the " + where + " failed (rolled back, the target"
                    + " is unchanged)", sql);
        }
        return new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "the " + where + " failed (rolled back, the target is"
                + " unchanged): " + ArchonSyncException.firstLine(String.valueOf(e.getMessage())), e);
    }

    private static String phaseOf(RunContext run) {
        boolean backup = run.progress != null && ProgressTracker.BACKUP.equals(run.progress.stepName());
        return currentPhase(run) + " phase" + (backup ? " (" + ProgressTracker.BACKUP + ")" : "");
    }

    private static String currentPhase(RunContext run) {
        return run.progress == null ? "validation" : run.progress.phaseName();
    }

    private static String currentTable(RunContext run) {
        return run.progress.tableName();
    }

    private SyncResult finish(RunContext run, Instant startedAt, String status, ArchonSyncException failure) {
        int duration = (int) Math.round(Duration.between(startedAt, Instant.now()).toMillis() / 1000.0);
        Map<String, Object> metrics = new LinkedHashMap<>(run.metrics);
        metrics.put("export_seconds", FullSync.round(run.exportSeconds));
        metrics.put("import_seconds", FullSync.round(run.importSeconds));
        metrics.put("indexing_seconds", FullSync.round(run.indexingSeconds));
        metrics.put("lock_window_seconds", run.lockWindowSeconds());
        metrics.put("bytes_streamed", run.progress.bytes.get());
        metrics.put("total_seconds", FullSync.round(Duration.between(startedAt, Instant.now()).toMillis() / 1000.0));
        metrics.put("backup", request.backup());
        boolean committed = "completed".equals(status);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("metrics", metrics);
        if (!committed) {
            metadata.put("partial", RunRecord.partial(run, currentPhase(run)));
        }
        String backupFile = TargetBackup.settle(run, request, committed ? null : failure, metadata);
        Map<String, Object> errorDetails = new LinkedHashMap<>();
        SilentLinkException silent = failure == null ? null : LinkFailures.silentLink(failure);
        if (failure != null) {
            errorDetails.put("exit_code", failure.code().exitCode());
            errorDetails.put("phase", currentPhase(run));
            if (currentTable(run) != null) {
                errorDetails.put("table", currentTable(run));
            }
            if (failure.sqlState() != null || failure.getCause() instanceof ArchonSyncException) {
                errorDetails.put("sqlstate", failure.sqlState());
            }
            errorDetails.put("details", failure.details());
            if (failure.code() == ErrorCode.OUTCOME_UNKNOWN) {
                errorDetails.put("outcome", "unknown");
            }
            if (silent != null) {
                errorDetails.put("link_silent", Map.of("database", silent.database(), "seconds", silent.seconds()));
            }
        }
        long synced = "completed".equals(status) ? run.tables.stream().mapToLong(TableResult::rowCount).sum() : 0;
        BigDecimal mb = BigDecimal.valueOf(run.progress.bytes.get()).divide(BigDecimal.valueOf(1024L * 1024L), 2, RoundingMode.HALF_UP);
        // a merge only knows what it will write once both sides are compared: its plan, not the description, holds the total
        long total = description.totalRows() > 0 ? description.totalRows() : run.progress.plannedRows();
        HistoryOutcome outcome = new HistoryOutcome(status, duration, total, synced,
                Json.write(committed ? RunRecord.tables(run) : List.of()), Json.write(RunRecord.verification(run, committed)),
                failure == null ? null : failure.getMessage(), Json.write(errorDetails), mb,
                (int) Math.round(run.exportSeconds), (int) Math.round(run.importSeconds), (int) Math.round(run.indexingSeconds),
                backupFile, Json.write(metadata));
        try {
            if (run.backupFile != null && backupFile == null) {
                history.backupFile(null);
            }
            history.finish(outcome);
        } catch (SQLException e) {
            log.error("could not record the outcome ({}) in the {} database's history: {}", status, target.label(),
                    ArchonSyncException.firstLine(e.getMessage()));
        }
        if (alsoRecordOn != null && silent != null && silent.database().equals(alsoRecordOn.label())) {
            // Reconnecting (with retries) to a database whose link just went silent would only hold the run up.
            log.warn("the run is not also recorded on the {} database: its link went silent", alsoRecordOn.label());
        } else if (alsoRecordOn != null) {
            recordCopy(outcome, metadata);
        }
        Object undone = description.metadata().get("undone_sync_id");
        return new SyncResult(control.syncId(), description.direction(), status, failure == null ? 0 : failure.code().exitCode(),
                failure == null ? null : failure.getMessage(), committed ? run.tables : List.of(),
                committed ? run.verification : List.of(), backupFile, metrics, RunRecord.operation(description.operation()),
                undone == null ? null : undone.toString());
    }

    /**
     * The source's copy of the finished row (its metadata too), so both databases tell the whole story; marked
     * {@code metadata.copy_of} so merged history and stats count the run once.
     */
    private void recordCopy(HistoryOutcome outcome, Map<String, Object> metadata) {
        Map<String, Object> meta = startMetadata();
        meta.put(COPY_OF, target.label());
        meta.putAll(metadata); // the metrics and what the outcome added (partial work, what became of the backups)
        try (HistoryWriter h = HistoryWriter.open(alsoRecordOn)) {
            if (!h.tableExists()) {
                return;
            }
            h.start(control.syncId(), description.direction().value(), request.triggeredBy(), sourceLabel, target.label(),
                    startedAt, Json.write(meta));
            h.finish(new HistoryOutcome(outcome.status(), outcome.durationSeconds(), outcome.totalRows(), outcome.syncedRows(),
                    outcome.tablesJson(), outcome.verificationJson(), outcome.errorMessage(), outcome.errorDetailsJson(),
                    outcome.exportSizeMb(), outcome.exportSeconds(), outcome.importSeconds(), outcome.indexingSeconds(),
                    outcome.backupFile(), Json.write(meta)));
        } catch (ArchonSyncException | SQLException e) {
            log.warn("could not also record the run in the {} database's history: {}", alsoRecordOn.label(),
                    ArchonSyncException.firstLine(e.getMessage()));
        }
    }

    /** The metadata key marking a history row as the source's copy of the row the target holds. */
    static final String COPY_OF = "copy_of";

    private Map<String, Object> startMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", "archon-sync");
        m.put("operation", RunRecord.operation(description.operation()));
        m.put("kind", description.operation());
        m.put("target", target.config().describe());
        m.put("tables", description.tables());
        m.put("backup", request.backup());
        m.putAll(description.metadata());
        return m;
    }

    static SyncResult dryRunResult(String syncId, Preflight p) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("dry_run", true);
        metrics.put("rows_to_delete", p.rowsToDelete());
        metrics.put("rows_to_load", p.rowsToLoad());
        metrics.put("bytes_to_load", p.bytesToLoad());
        return new SyncResult(syncId, p.direction(), "dry-run", 0, null, List.of(), List.of(), null, metrics);
    }

    /** When the target cannot be reached, the failure goes to the source's history (if it has one). */
    static void recordUnreachable(Database source, String syncId, SyncRequest request, String message) {
        try (HistoryWriter h = HistoryWriter.open(source)) {
            if (!h.tableExists()) {
                return;
            }
            h.start(syncId, request.direction().value(), request.triggeredBy(), request.direction().source().label(),
                    request.direction().target().label(), Instant.now(), Json.write(Map.of("recorded_on", "source",
                            "reason", "target unreachable")));
            h.finish(new HistoryOutcome("failed", 0, 0L, 0L, "[]", "{}", message, Json.write(Map.of("exit_code", 2,
                    "phase", "validation")), null, null, null, null, null, "{}"));
        } catch (ArchonSyncException | SQLException e) {
            log.warn("could not record the failure on the {} database either: {}", source.label(), e.getMessage());
        }
    }
}
