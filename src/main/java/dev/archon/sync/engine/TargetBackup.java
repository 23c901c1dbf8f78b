package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.backup.BackupInfo;
import dev.archon.sync.backup.BackupRetention;
import dev.archon.sync.backup.BackupWriter;
import dev.archon.sync.backup.EntrySink;
import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.SequenceLink;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.verify.ContentChecksum;
import dev.archon.sync.verify.StreamChecksum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the target's tables and their sequences into a backup archive, on the import
 * transaction's connection after the locks, so it holds exactly what is about to be replaced.
 */
final class TargetBackup {
    private static final Logger log = LoggerFactory.getLogger(TargetBackup.class);

    /** A partial archive not written to for this long was left by a killed process. */
    static final java.time.Duration PARTIAL_IDLE = java.time.Duration.ofSeconds(60);

    private TargetBackup() {
    }

    /** What goes into an archive, written through the open writer. */
    @FunctionalInterface
    interface Content {
        void write(BackupWriter writer) throws SQLException, IOException;
    }

    /** Writes the archive of these tables' whole content, records its path in the run (old archives are pruned after COMMIT, by settle). */
    static Path write(Connection tgt, List<TableInfo> tables, Path dir, int keep, String databaseLabel, RunContext run)
            throws SQLException, IOException {
        return write(tgt, tables, dir, keep, databaseLabel, run, run.syncId);
    }

    /** As above, the archive named after {@code name} (a run that backs up two databases names them apart). */
    static Path write(Connection tgt, List<TableInfo> tables, Path dir, int keep, String databaseLabel, RunContext run,
                      String name) throws SQLException, IOException {
        return write(tgt, dir, keep, databaseLabel, run, name, writer -> {
            for (int i = 0; i < tables.size(); i++) {
                wholeTable(writer, tgt, tables.get(i), run);
                run.progress.phaseFraction((double) (i + 1) / tables.size());
            }
        });
    }

    /** Writes an archive with the given content, records its path in the run (old archives are pruned after COMMIT, by settle). */
    static Path write(Connection tgt, Path dir, int keep, String databaseLabel, RunContext run, Content content)
            throws SQLException, IOException {
        return write(tgt, dir, keep, databaseLabel, run, run.syncId, content);
    }

    /** As above, the archive named after {@code name} (a run that backs up two databases names them apart). */
    static Path write(Connection tgt, Path dir, int keep, String databaseLabel, RunContext run, String name, Content content) throws SQLException, IOException {
        long start = System.nanoTime();
        run.progress.step(ProgressTracker.BACKUP);
        List<Path> leftovers = BackupRetention.removeLeftovers(dir, PARTIAL_IDLE);
        if (!leftovers.isEmpty()) {
            log.info("removed {} partial backup(s) left by a killed run: {}", leftovers.size(), leftovers);
        }
        Path file;
        try (BackupWriter writer = BackupWriter.create(dir, name, BackupInfo.now(databaseLabel,
                SessionSettings.version(tgt), "replaced by " + run.syncId))) {
            content.write(writer);
            file = writer.finish().toAbsolutePath();
        }
        run.backupFile = file.toString();
        run.backupFiles.put(databaseLabel, run.backupFile);
        run.history.backupFile(run.backupFile);
        run.metrics.put("backup_seconds", FullSync.round(FullSync.seconds(start)));
        run.progress.step(null);
        return file;
    }

    /**
     * Begins the target transaction and takes its locks, booking the wait apart in metrics
     * ({@code lock_wait_seconds}); the progress shows "waiting for locks" and the table meanwhile.
     */
    static void lock(TargetTransaction tx, java.time.Duration timeout, RunContext run) throws SQLException {
        long start = System.nanoTime();
        tx.begin(timeout);
        run.lockedAt = System.nanoTime();
        run.metrics.put("lock_wait_seconds", FullSync.round((run.lockedAt - start) / 1e9));
        run.checkCancelled();
    }

    /** Seconds of the export phase that were neither waiting for locks nor writing the backup. */
    static double exportSeconds(long exportStart, RunContext run) {
        double total = FullSync.seconds(exportStart);
        double apart = ((Number) run.metrics.getOrDefault("lock_wait_seconds", 0.0)).doubleValue()
                + ((Number) run.metrics.getOrDefault("backup_seconds", 0.0)).doubleValue();
        return Math.max(0, total - apart);
    }

    /**
     * After the outcome is known: a committed run prunes old archives (only now, so a failed run never
     * costs a completed run its archive). A run that did not complete deletes the archive of each
     * database that certainly rolled back (it still holds exactly what the archive saved) and says so
     * in metadata; it keeps the archive of a database whose COMMIT took effect (the local side of a
     * merge that died between its two commits) or may have (outcome unknown), and says why.
     *
     * @param failure what ended a run that did not complete, else null
     * @return the archive the history row should name, or null
     */
    static String settle(RunContext run, SyncRequest request, ArchonSyncException failure, Map<String, Object> metadata) {
        if (failure == null) {
            if (run.backupFile != null) {
                try {
                    List<Path> pruned = BackupRetention.prune(request.backupDir(), request.keepBackups());
                    if (!pruned.isEmpty()) {
                        log.info("deleted {} old backup(s), keeping {}", pruned.size(), request.keepBackups());
                    }
                } catch (RuntimeException e) {
                    log.warn("the run committed, but old backups could not be pruned: {}", e.getMessage());
                }
            }
            return run.backupFile;
        }
        String named = null;
        List<String> deleted = new ArrayList<>();
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, String> archive : run.backupFiles.entrySet()) {
            String why = keptBecause(archive.getKey(), run, failure);
            if (why == null) {
                try {
                    Files.deleteIfExists(Path.of(archive.getValue()));
                    deleted.add(archive.getKey());
                    continue;
                } catch (IOException e) {
                    log.warn("could not delete the backup of a rolled-back run, {}: {}", archive.getValue(), e.getMessage());
                    why = "it could not be deleted: " + e.getMessage();
                }
            }
            kept.put(archive.getKey(), why);
            named = archive.getValue();
        }
        if (run.backupFiles.size() == 1 && deleted.size() == 1) {
            metadata.put("backup_discarded", "the run rolled back, so the target still holds what its backup saved: the backup"
                    + " was deleted");
        } else if (deleted.size() == 1) {
            metadata.put("backup_discarded", "the " + deleted.get(0) + " database rolled back, so it still holds what its backup"
                    + " saved: that backup was deleted");
        } else if (!deleted.isEmpty()) {
            metadata.put("backup_discarded", "the run rolled back on both databases, so each still holds what its backup saved:"
                    + " the backups were deleted");
        }
        kept.forEach((label, why) -> {
            metadata.put("backup_kept" + (run.backupFiles.size() == 1 ? "" : "_" + label), why);
            log.warn("the backup of the {} database is kept: {}", label, why);
        });
        return named;
    }

    /** Why the archive of database {@code label} must outlive a run that did not complete, or null if it need not. */
    private static String keptBecause(String label, RunContext run, ArchonSyncException failure) {
        if (failure.code() == ErrorCode.OUTCOME_UNKNOWN) {
            return "whether the " + label + " database committed is unknown, and if it did, this backup is what it replaced";
        }
        if (run.metrics.get("commits") instanceof Map<?, ?> commits && "committed".equals(commits.get(label))) {
            return "the " + label + " database committed, and this backup is what it replaced there";
        }
        return null;
    }

    /** One table's whole content and its sequences. */
    static void wholeTable(BackupWriter writer, Connection tgt, TableInfo t, RunContext run) throws SQLException, IOException {
        run.checkCancelled();
        run.progress.table(t.name().toString());
        boolean binary = t.copiedColumns().stream().allMatch(Column::binaryOk);
        List<String> columns = TableCopier.copiedColumns(t);
        // The old content's checksum, so that a restore can prove it brought back exactly this: from the
        // stream when the types allow it (no extra scan inside the lock window), else by the server.
        StreamChecksum stream = binary && StreamChecksum.applies(t) ? new StreamChecksum(t) : null;
        try (EntrySink sink = writer.openEntry(t.name().schema(), t.name().name(), binary ? "binary" : "text", columns)) {
            long rows = TableCopier.export(tgt, t, columns, binary, (chunk, n) -> sink.stream().write(chunk, 0, n),
                    new AtomicLong(), stream == null ? null : (chunk, n) -> stream.update(chunk, 0, n));
            sink.complete(rows, (stream != null ? stream.result() : ContentChecksum.compute(tgt, t, true)).digest());
        }
        sequences(writer, tgt, t);
    }

    /** The table's sequences' current values. */
    static void sequences(BackupWriter writer, Connection tgt, TableInfo t) throws SQLException {
        for (SequenceLink s : t.sequences()) {
            writer.sequence(s.sequence(), Sql.queryLong(tgt, "SELECT last_value FROM " + s.sequence()),
                    Sql.queryBoolean(tgt, "SELECT is_called FROM " + s.sequence()));
        }
    }
}
