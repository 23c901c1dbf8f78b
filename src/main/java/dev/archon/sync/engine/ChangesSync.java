package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.Digest;
import dev.archon.sync.delta.TableDiff;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.verify.ContentChecksum;
import dev.archon.sync.verify.StreamChecksum;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changes-only plan (modes auto and changes): in ONE target transaction the tables are
 * locked SHARE ROW EXCLUSIVE (Archon's reads go on; its writes wait), both servers hash their rows
 * in parallel, the streams are compared, and only the differing rows are deleted, updated and
 * inserted; tables chosen for a full copy are locked ACCESS EXCLUSIVE and reloaded as a full sync
 * does. Sequences are set to the source's, every written table is verified by its content checksum,
 * then COMMIT. Used once per run.
 */
final class ChangesSync implements RunWork {
    private static final Logger log = LoggerFactory.getLogger(ChangesSync.class);

    private final Database source;
    private final Database target;
    private final SyncRequest request;
    private final Preflight plan;

    ChangesSync(Database source, Database target, SyncRequest request, Preflight plan) {
        this.source = source;
        this.target = target;
        this.request = request;
        this.plan = plan;
    }

    RunWork.Description description() {
        return FullSync.describe(source, request, plan, "mode", request.mode().value());
    }

    @Override
    public void apply(RunContext run) throws SQLException, IOException {
        run.progress.phase("export");
        long exportStart = System.nanoTime();
        try (Connection snapshot = source.open("archon-sync export");
             Connection tgt = target.open("archon-sync import");
             ChangeScan scan = new ChangeScan(plan.tables(), request.mode())) {
            run.cancelWith(snapshot, tgt);
            try {
                applyIn(snapshot, tgt, scan, run, exportStart);
            } catch (SQLException | IOException | RuntimeException e) {
                FullSync.cancelQueries(snapshot);
                throw e;
            }
        }
    }

    private void applyIn(Connection snapshot, Connection tgt, ChangeScan scan, RunContext run, long exportStart)
            throws SQLException, IOException {
        SessionSettings.apply(snapshot);
        snapshot.setAutoCommit(false);
        snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        Sql.execute(snapshot, "SELECT 1");
        SessionSettings.apply(tgt);
        run.progress.targetPid((int) Sql.queryLong(tgt, "SELECT pg_backend_pid()"));
        tgt.setAutoCommit(false);
        long lockStart = System.nanoTime();
        Sql.execute(tgt, "SET LOCAL lock_timeout = '" + request.lockTimeout().toMillis() + "ms'");
        Sql.execute(tgt, "LOCK TABLE " + plan.tables().stream().map(t -> t.target().name().quoted())
                .collect(Collectors.joining(", ")) + " IN SHARE ROW EXCLUSIVE MODE");
        Sql.execute(tgt, "SET LOCAL lock_timeout = 0");
        run.lockedAt = System.nanoTime();
        run.metrics.put("lock_wait_seconds", FullSync.round((run.lockedAt - lockStart) / 1e9));
        run.checkCancelled();

        scan.reusingBase(OneWayBase.reusablePair(snapshot, tgt, source, target)).compare(snapshot, tgt, run);
        List<TablePlan> full = scan.fullTables();
        run.progress.totalRows(scan.rowsToWrite());
        TargetTransaction tx = new TargetTransaction(tgt, full.stream().map(TablePlan::target).toList());
        if (!full.isEmpty()) {
            tx.begin(request.lockTimeout());
        }
        if (request.backup()) {
            ChangeBackup.write(tgt, scan, request, target.label(), run);
        }
        run.exportSeconds = TargetBackup.exportSeconds(exportStart, run);
        run.metrics.put("hash_bytes", scan.hashBytes());

        run.progress.phase("import");
        long importStart = System.nanoTime();
        if (!full.isEmpty()) {
            tx.prepare(full.stream().map(TablePlan::sourceRows).toList());
        }
        List<TableInfo> triggers = scan.changedTables().stream().map(TablePlan::target).filter(TableInfo::userTriggers).toList();
        for (TableInfo t : triggers) {
            Sql.execute(tgt, "ALTER TABLE " + t.name().quoted() + " DISABLE TRIGGER USER");
        }
        Map<String, String> streamed = new LinkedHashMap<>();
        Map<String, ChangeApplier> appliers = new LinkedHashMap<>();
        List<TablePlan> tables = plan.tables();
        try {
            apply(snapshot, tgt, scan, streamed, appliers, run);
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            if (state.equals("23503") || state.equals("23505")) {
                throw ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "the changes could not be applied in an order the"
                        + " target's constraints accept (for example a row moved away from a row deleted in the same run);"
                        + " rolled back, the target is unchanged; run again with --mode full", e);
            }
            throw e;
        }
        Map<String, long[]> sequences = FullSync.copySequences(snapshot, tx, tables);
        run.importSeconds = FullSync.seconds(importStart);

        run.progress.phase("indexing");
        long indexStart = System.nanoTime();
        int steps = Math.max(1, tx.rebuildSteps() + triggers.size());
        int[] done = {0};
        if (!full.isEmpty()) {
            tx.rebuild(() -> run.progress.phaseFraction((double) ++done[0] / steps));
        }
        for (TableInfo t : triggers) {
            Sql.execute(tgt, "ALTER TABLE " + t.name().quoted() + " ENABLE TRIGGER USER");
            run.progress.phaseFraction((double) ++done[0] / steps);
        }
        run.indexingSeconds = FullSync.seconds(indexStart);
        run.metrics.put("indexes_rebuilt", tx.droppedIndexCount());

        run.progress.phase("verification");
        long verifyStart = System.nanoTime();
        verify(snapshot, tgt, scan, appliers, streamed, sequences, run);
        run.metrics.put("verification_seconds", FullSync.round(FullSync.seconds(verifyStart)));
        try (OneWayBase base = OneWayBase.capture(snapshot, tgt, source, target, tables, scan::sourceHashes, run)) {
            snapshot.commit();
            FullSync.commit(tx, target, run);
            base.write(tgt, source, target, run);
        }
        log.info("changes-only sync committed: {} rows written", scan.rowsToWrite());
    }

    /** Deletes (children before parents), then full copies and upserts (parents before children). */
    private void apply(Connection snapshot, Connection tgt, ChangeScan scan, Map<String, String> streamed,
                       Map<String, ChangeApplier> appliers, RunContext run) throws SQLException, IOException {
        Map<String, Long> deleted = new LinkedHashMap<>();
        List<TablePlan> tables = plan.tables();
        for (int i = tables.size() - 1; i >= 0; i--) {
            TablePlan t = tables.get(i);
            if (scan.isChanged(t)) {
                run.checkCancelled();
                ChangeApplier a = new ChangeApplier(snapshot, tgt, scan.keyed(t), t.target(), t.binary(), i);
                appliers.put(t.name(), a);
                deleted.put(t.name(), a.delete(scan.keys(t)));
            }
        }
        for (TablePlan t : tables) {
            run.checkCancelled();
            run.progress.table(t.name());
            long start = System.nanoTime();
            long before = run.progress.bytes.get();
            if (scan.isFull(t)) {
                StreamChecksum stream = t.binary() && StreamChecksum.applies(t.source()) ? new StreamChecksum(t.source()) : null;
                long rows = TableCopier.copy(snapshot, tgt, t.source(), t.binary(), run.progress.bytes,
                        stream == null ? null : (chunk, n) -> stream.update(chunk, 0, n));
                if (stream != null) {
                    streamed.put(t.name(), stream.result().digest());
                }
                run.progress.tableDone(rows);
                run.tables.add(TableResult.full(t.name(), rows, FullSync.round(FullSync.seconds(start)),
                        run.progress.bytes.get() - before, t.binary() ? "binary" : "text", scan.targetRows(t)));
            } else {
                ChangeApplier a = appliers.get(t.name());
                long[] iu = a == null ? new long[] {0, 0} : a.upsert(scan.keys(t), run.progress.bytes);
                long del = deleted.getOrDefault(t.name(), 0L);
                run.progress.tableDone(iu[0] + iu[1] + del);
                run.tables.add(new TableResult(t.name(), iu[0] + iu[1] + del, FullSync.round(FullSync.seconds(start)),
                        run.progress.bytes.get() - before + scan.hashBytes(t), t.binary() ? "binary" : "text", "changes",
                        iu[0], iu[1], del, (a == null ? 0 : a.statements) + 2));
            }
        }
    }

    /**
     * Every table's content checksum after the apply must equal the source snapshot's. For a table
     * changed row by row it is computed incrementally: the target server hashed every row under this
     * run's lock before the apply, and hashes again, after it, every row the apply wrote (and counts
     * what is left at the deleted keys); rows the apply did not touch cannot have changed (the lock
     * keeps other writers out, and each statement's row count was checked).
     */
    private void verify(Connection snapshot, Connection tgt, ChangeScan scan, Map<String, ChangeApplier> appliers,
                        Map<String, String> streamed, Map<String, long[]> sequences, RunContext run)
            throws SQLException, IOException {
        List<String> mismatches = new ArrayList<>();
        List<TablePlan> tables = plan.tables();
        for (int i = 0; i < tables.size(); i++) {
            TablePlan t = tables.get(i);
            run.checkCancelled();
            run.progress.table(t.name());
            String expected = scan.sourceDigest(t) != null ? scan.sourceDigest(t) : streamed.get(t.name());
            if (expected == null) {
                expected = ContentChecksum.compute(snapshot, t.source(), t.binary()).digest();
            }
            ContentChecksum.Value actual;
            if (scan.isUnchanged(t)) {
                actual = new ContentChecksum.Value(scan.targetRows(t), scan.targetDigest(t));
            } else if (scan.isChanged(t)) {
                long[] left = new long[1];
                ContentChecksum.Value written = appliers.get(t.name()).writtenChecksum(scan.keys(t), left);
                TableDiff d = scan.diff(t);
                String digest = left[0] == 0 ? Digest.combine(d.targetDigest(), d.replacedDigest(), written.digest())
                        : "rows left at deleted keys: " + left[0];
                actual = new ContentChecksum.Value(d.targetRows() - d.deletes() + d.inserts(), digest);
            } else {
                actual = ContentChecksum.compute(tgt, t.target(), t.binary());
            }
            long sourceRows = Long.parseLong(expected.substring(0, expected.indexOf(':')));
            boolean match = expected.equals(actual.digest());
            run.verification.add(new TableVerification(t.name(), sourceRows, actual.rows(), expected, actual.digest(), match,
                    t.binary()));
            if (!match) {
                mismatches.add(t.name());
            }
            run.progress.phaseFraction((double) (i + 1) / tables.size());
        }
        mismatches.addAll(FullSync.checkSequences(tgt, sequences, run));
        if (!mismatches.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "verification failed: the target differs from the"
                    + " source snapshot in " + String.join(", ", mismatches) + "; rolled back, the target is unchanged");
        }
    }
}
