package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.backup.BackupEntry;
import dev.archon.sync.backup.BackupManifest;
import dev.archon.sync.backup.BackupReader;
import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.KeyedTable;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.verify.ContentChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Restores an archive written by a changes-only run: in ONE transaction, the rows the run inserted
 * are deleted, the rows it replaced or deleted are put back (updated where the key exists, inserted
 * where not), tables it copied in full are reloaded whole, sequences are reset; then each table's
 * content checksum must equal the one recorded before the run, or everything rolls back (an undo
 * forced over later changes checks the rows it put back instead: the rest of the table moved on).
 */
final class ChangeRestore {
    private final Connection tgt;
    private final BackupReader reader;
    private final BackupManifest manifest;
    private final List<TableInfo> tables;
    private final SyncRequest options;
    private final Database target;
    private final RunContext run;
    private final boolean forced;

    /**
     * @param forced an undo forced although the target changed since the run: each table then gets back the rows the
     *               run replaced (verified row by row), not necessarily its whole content before the run
     */
    ChangeRestore(Connection tgt, BackupReader reader, BackupManifest manifest, List<TableInfo> tables, SyncRequest options,
                  Database target, RunContext run, boolean forced) {
        this.forced = forced;
        this.tgt = tgt;
        this.reader = reader;
        this.manifest = manifest;
        this.tables = tables;
        this.options = options;
        this.target = target;
        this.run = run;
    }

    void apply(long exportStart) throws SQLException, IOException {
        List<BackupEntry> entries = manifest.entries();
        Map<String, TableInfo> whole = new LinkedHashMap<>();
        Map<String, TableInfo> partial = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            (entries.get(i).wholeTable() ? whole : partial).put(entries.get(i).qualifiedName(), tables.get(i));
        }
        tgt.setAutoCommit(false);
        long lockStart = System.nanoTime();
        Sql.execute(tgt, "SET LOCAL lock_timeout = '" + options.lockTimeout().toMillis() + "ms'");
        Sql.execute(tgt, "LOCK TABLE " + partial.values().stream().map(t -> t.name().quoted()).collect(Collectors.joining(", "))
                + " IN SHARE ROW EXCLUSIVE MODE");
        Sql.execute(tgt, "SET LOCAL lock_timeout = 0");
        TargetTransaction tx = new TargetTransaction(tgt, new ArrayList<>(whole.values()));
        if (!whole.isEmpty()) {
            tx.begin(options.lockTimeout());
        }
        run.lockedAt = System.nanoTime();
        run.metrics.put("lock_wait_seconds", FullSync.round((run.lockedAt - lockStart) / 1e9));
        List<TableInfo> all = new ArrayList<>(whole.values());
        all.addAll(partial.values());
        if (options.backup()) {
            TargetBackup.write(tgt, all, options.backupDir(), options.keepBackups(), target.label(), run);
        }
        run.exportSeconds = TargetBackup.exportSeconds(exportStart, run);

        run.progress.phase("import");
        long importStart = System.nanoTime();
        if (!whole.isEmpty()) {
            tx.prepare(entries.stream().filter(BackupEntry::wholeTable).map(BackupEntry::rowCount).toList());
        }
        List<TableInfo> triggers = partial.values().stream().filter(TableInfo::userTriggers).toList();
        for (TableInfo t : triggers) {
            Sql.execute(tgt, "ALTER TABLE " + t.name().quoted() + " DISABLE TRIGGER USER");
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            BackupEntry e = entries.get(i);
            if (BackupEntry.INSERTED_KEYS.equals(e.content()) && e.rowCount() > 0) {
                try (InputStream in = reader.openEntry(e)) {
                    long n = applier(tables.get(i), e, i).deleteKeys(in, -1);
                    counts.computeIfAbsent(e.qualifiedName(), k -> new long[3])[2] += n;
                }
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            run.checkCancelled();
            BackupEntry e = entries.get(i);
            run.progress.table(e.qualifiedName());
            long start = System.nanoTime();
            try (InputStream in = reader.openEntry(e)) {
                if (e.wholeTable()) {
                    long rows = TableCopier.load(tgt, tables.get(i), e.columns(), "binary".equals(e.copyFormat()), in,
                            run.progress.bytes);
                    run.tables.add(TableResult.full(e.qualifiedName(), rows, FullSync.round(FullSync.seconds(start)), 0,
                            e.copyFormat(), -1));
                } else if (BackupEntry.ROWS.equals(e.content())) {
                    long[] iu = applier(tables.get(i), e, i).upsertFrom(in, e.columns(), "binary".equals(e.copyFormat()),
                            run.progress.bytes);
                    long[] c = counts.computeIfAbsent(e.qualifiedName(), k -> new long[3]);
                    run.tables.add(new TableResult(e.qualifiedName(), iu[0] + iu[1] + c[2], FullSync.round(FullSync.seconds(start)),
                            0, e.copyFormat(), "changes", iu[0], iu[1], c[2], 0));
                }
            }
        }
        Restore.sequences(manifest, tx, run);
        run.importSeconds = FullSync.seconds(importStart);

        run.progress.phase("indexing");
        long indexStart = System.nanoTime();
        if (!whole.isEmpty()) {
            tx.rebuild(() -> { });
        }
        for (TableInfo t : triggers) {
            Sql.execute(tgt, "ALTER TABLE " + t.name().quoted() + " ENABLE TRIGGER USER");
        }
        run.indexingSeconds = FullSync.seconds(indexStart);

        run.progress.phase("verification");
        verify(entries);
        // the restored tables changed outside a merge: their bidirectional base no longer holds
        dev.archon.sync.history.BaseStore.invalidate(tgt, tables.stream().map(t -> t.name().toString()).toList());
        FullSync.commit(tx, target, run);
    }

    private ChangeApplier applier(TableInfo table, BackupEntry e, int index) {
        if (!table.key().equals(e.key())) {
            throw new ArchonSyncException(ErrorCode.REFUSED, e.qualifiedName() + ": the backup identifies rows by " + e.key()
                    + " but the table's key is now " + table.key() + " (nothing was changed)");
        }
        return new ChangeApplier(null, tgt, new KeyedTable(table, true), table, true, index);
    }

    /** Each table's content checksum must be the one recorded before the run that made the archive. */
    private void verify(List<BackupEntry> entries) throws SQLException {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            BackupEntry e = entries.get(i);
            if (BackupEntry.INSERTED_KEYS.equals(e.content())) {
                continue;
            }
            ContentChecksum.Value now = ContentChecksum.compute(tgt, tables.get(i), true);
            if (forced && BackupEntry.ROWS.equals(e.content())) {
                // The rows put back were checked one by one against the backup; the rest of the table changed since.
                run.verification.add(new TableVerification(e.qualifiedName(), now.rows(), now.rows(),
                        "the " + e.rowCount() + " rows the run replaced", now.digest(), true, true));
                continue;
            }
            String expected = e.contentChecksum();
            boolean match = expected == null || expected.equals(now.digest());
            long expectedRows = expected == null ? now.rows() : Long.parseLong(expected.substring(0, expected.indexOf(':')));
            run.verification.add(new TableVerification(e.qualifiedName(), expectedRows, now.rows(),
                    expected == null ? "unknown" : expected, now.digest(), match, true));
            if (!match) {
                mismatches.add(e.qualifiedName());
            }
        }
        if (!mismatches.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "verification failed: after the restore, "
                    + String.join(", ", mismatches) + " differ(s) from the content before the run that made the backup"
                    + "; rolled back, the target is unchanged");
        }
    }
}
