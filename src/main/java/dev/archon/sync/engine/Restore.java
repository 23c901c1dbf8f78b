package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.backup.BackupEntry;
import dev.archon.sync.backup.BackupManifest;
import dev.archon.sync.backup.BackupReader;
import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.history.BaseStore;
import dev.archon.sync.schema.CatalogReader;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.schema.TableName;
import dev.archon.sync.verify.ContentChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores a backup archive into the target under the same rules as a sync: one transaction,
 * tables locked, a backup of the current content first, indexes and keys rebuilt, rows and
 * sequences verified, then COMMIT.
 */
final class Restore implements RunWork {
    private final Database target;
    private final Path file;
    private final BackupManifest manifest;
    private final SyncRequest options;
    private final String operation;
    private final Map<String, Object> metadata;

    Restore(Database target, Path file, BackupManifest manifest, SyncRequest options, String operation,
            Map<String, Object> metadata) {
        this.target = target;
        this.file = file;
        this.manifest = manifest;
        this.options = options;
        this.operation = operation;
        this.metadata = metadata;
    }

    RunWork.Description description() {
        Map<String, Object> m = new LinkedHashMap<>(metadata);
        m.put("backup_restored", file.toAbsolutePath().toString());
        m.put("backup_sync_id", manifest.syncId());
        return new RunWork.Description(Direction.into(target.config().role()), operation,
                manifest.entries().stream().map(BackupEntry::qualifiedName).toList(),
                manifest.entries().stream().mapToLong(BackupEntry::rowCount).sum(), m);
    }

    /** The target tables the archive's entries go into; REFUSED naming any that is missing. */
    static List<TableInfo> tables(Connection c, BackupManifest manifest) throws SQLException {
        Map<TableName, TableInfo> catalog = CatalogReader.read(c, TableSelector.SCHEMA);
        List<TableInfo> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (BackupEntry e : manifest.entries()) {
            TableInfo t = catalog.get(new TableName(e.schema(), e.table()));
            if (t == null) {
                missing.add(e.qualifiedName());
                continue;
            }
            for (String column : e.wholeTable() || BackupEntry.ROWS.equals(e.content()) ? e.columns() : e.key()) {
                if (t.column(column) == null) {
                    missing.add(e.qualifiedName() + "." + column);
                }
            }
            out.add(t);
        }
        if (!missing.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.REFUSED, "the backup's tables or columns are missing on the target: "
                    + String.join(", ", missing) + " (nothing was changed)");
        }
        return out;
    }

    @Override
    public void apply(RunContext run) throws SQLException, IOException {
        run.progress.phase("export");
        long exportStart = System.nanoTime();
        try (Connection tgt = target.open("archon-sync import"); BackupReader reader = BackupReader.open(file)) {
            run.cancelWith(tgt);
            SessionSettings.apply(tgt);
            List<TableInfo> tables = tables(tgt, manifest);
            if (!manifest.entries().stream().allMatch(BackupEntry::wholeTable)) {
                new ChangeRestore(tgt, reader, manifest, tables, options, target, run,
                        Boolean.TRUE.equals(metadata.get("forced"))).apply(exportStart);
                return;
            }
            run.progress.targetPid((int) Sql.queryLong(tgt, "SELECT pg_backend_pid()"));
            TargetTransaction tx = new TargetTransaction(tgt, tables);
            TargetBackup.lock(tx, options.lockTimeout(), run);
            if (options.backup()) {
                TargetBackup.write(tgt, tables, options.backupDir(), options.keepBackups(), target.label(), run);
            }
            run.exportSeconds = TargetBackup.exportSeconds(exportStart, run);

            run.progress.phase("import");
            long importStart = System.nanoTime();
            List<BackupEntry> entries = manifest.entries();
            tx.prepare(entries.stream().map(BackupEntry::rowCount).toList());
            List<Long> loaded = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                run.checkCancelled();
                BackupEntry e = entries.get(i);
                run.progress.table(e.qualifiedName());
                long start = System.nanoTime();
                long before = run.progress.bytes.get();
                long rows;
                try (InputStream in = reader.openEntry(e)) {
                    rows = TableCopier.load(tgt, tables.get(i), e.columns(), "binary".equals(e.copyFormat()), in, run.progress.bytes);
                }
                loaded.add(rows);
                run.progress.tableDone(rows);
                run.tables.add(TableResult.full(e.qualifiedName(), rows, FullSync.round(FullSync.seconds(start)),
                        run.progress.bytes.get() - before, e.copyFormat(), -1));
            }
            sequences(manifest, tx, run);
            run.importSeconds = FullSync.seconds(importStart);

            run.progress.phase("indexing");
            long indexStart = System.nanoTime();
            int steps = Math.max(1, tx.rebuildSteps());
            int[] done = {0};
            tx.rebuild(() -> run.progress.phaseFraction((double) ++done[0] / steps));
            run.indexingSeconds = FullSync.seconds(indexStart);

            run.progress.phase("verification");
            verify(tgt, tables, entries, loaded, run);
            // the restored tables changed outside a merge: their bidirectional base no longer holds
            BaseStore.invalidate(tgt, tables.stream().map(t -> t.name().toString()).toList());
            FullSync.commit(tx, target, run);
        }
    }

    /** Sets every sequence the archive saved back to its saved value. */
    static void sequences(BackupManifest manifest, TargetTransaction tx, RunContext run) throws SQLException {
        for (Map.Entry<String, String> s : manifest.sequences().entrySet()) {
            String[] v = s.getValue().split(":");
            tx.setSequence(s.getKey(), Long.parseLong(v[0]), Boolean.parseBoolean(v[1]));
            run.sequences.put(s.getKey(), true);
        }
    }

    static void verify(Connection tgt, List<TableInfo> tables, List<BackupEntry> entries, List<Long> loaded,
                               RunContext run) throws SQLException {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            BackupEntry e = entries.get(i);
            ContentChecksum.Value now = ContentChecksum.compute(tgt, tables.get(i), true);
            boolean match = now.rows() == e.rowCount() && loaded.get(i) == e.rowCount()
                    && (e.contentChecksum() == null || e.contentChecksum().equals(now.digest()));
            run.verification.add(new TableVerification(e.qualifiedName(), e.rowCount(), now.rows(),
                    e.contentChecksum() == null ? "rows:" + e.rowCount() + " sha256:" + e.sha256() : e.contentChecksum(),
                    now.digest(), match, true));
            if (!match) {
                mismatches.add(e.qualifiedName());
            }
            run.progress.phaseFraction((double) (i + 1) / entries.size());
        }
        if (!mismatches.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "verification failed: the restored rows differ from the"
                    + " backup in " + String.join(", ", mismatches) + "; rolled back, the target is unchanged");
        }
    }
}
