package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.db.SilentLinkException;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.SequenceLink;
import dev.archon.sync.verify.ContentChecksum;
import dev.archon.sync.verify.StreamChecksum;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a full-sync plan: source snapshot, then in ONE target transaction lock, backup, empty,
 * stream, sequences, index rebuild and verification, then COMMIT. Source checksums are computed
 * in parallel on a second source connection sharing the snapshot. Used once per run.
 */
final class FullSync implements RunWork {
    private static final Logger log = LoggerFactory.getLogger(FullSync.class);

    private final Database source;
    private final Database target;
    private final SyncRequest request;
    private final Preflight plan;
    private RunContext run;

    FullSync(Database source, Database target, SyncRequest request, Preflight plan) {
        this.source = source;
        this.target = target;
        this.request = request;
        this.plan = plan;
    }

    RunWork.Description description() {
        return describe(source, request, plan, "rows_to_delete", plan.rowsToDelete());
    }

    /** What the history says of a one-way sync before it starts; {@code key}/{@code value}: the kind's own fact. */
    static RunWork.Description describe(Database source, SyncRequest request, Preflight plan, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source.config().describe());
        m.put("source_version", plan.sourceVersion());
        m.put("target_version", plan.targetVersion());
        m.put(key, value);
        return new RunWork.Description(request.direction(), "sync", plan.tables().stream().map(TablePlan::name).toList(),
                plan.rowsToLoad(), m);
    }

    /** Runs the plan; returns normally only after COMMIT (or throws, the target unchanged). */
    @Override
    public void apply(RunContext context) throws SQLException, IOException {
        this.run = context;
        List<TablePlan> tables = plan.tables();
        run.progress.phase("export");
        long exportStart = System.nanoTime();
        try (SecondThread checksums = new SecondThread("archon-sync source checksums");
             Connection snapshot = source.open("archon-sync export");
             Connection checksummer = source.open("archon-sync checksums");
             Connection tgt = target.open("archon-sync import")) {
            run.cancelWith(snapshot, checksummer, tgt);
            try {
                applyIn(snapshot, checksummer, tgt, checksums, tables, exportStart);
            } catch (SQLException | IOException | RuntimeException e) {
                // Stop the source statements still running (checksums, a read-ahead COPY) before closing.
                checksums.close();
                cancelQueries(e, source, snapshot, checksummer);
                throw e;
            }
        }
    }

    private void applyIn(Connection snapshot, Connection checksummer, Connection tgt, SecondThread checksums,
                         List<TablePlan> tables, long exportStart) throws SQLException, IOException {
        {
            String snapshotId = beginSnapshot(snapshot, null);
            beginSnapshot(checksummer, snapshotId);
            // Binary-copied tables of built-in types get their source checksum from the stream itself;
            // the others are checksummed by the source server, on a second connection in the same snapshot.
            List<Boolean> fromStream = tables.stream().map(t -> t.binary() && StreamChecksum.applies(t.source())).toList();
            Future<Map<Integer, ContentChecksum.Value>> serverSums = checksums.submit(() -> checksumOnServer(checksummer,
                    tables, fromStream));
            ContentChecksum.Value[] expected = new ContentChecksum.Value[tables.size()];
            SessionSettings.apply(tgt);
            run.progress.targetPid((int) Sql.queryLong(tgt, "SELECT pg_backend_pid()"));
            TargetTransaction tx = new TargetTransaction(tgt, tables.stream().map(TablePlan::target).toList());
            TargetBackup.lock(tx, request.lockTimeout(), run);
            if (request.backup()) {
                backup(snapshot, tgt, tables);
            }
            run.exportSeconds = TargetBackup.exportSeconds(exportStart, run);

            run.progress.phase("import");
            long importStart = System.nanoTime();
            tx.prepare(tables.stream().map(TablePlan::sourceRows).toList());
            for (int i = 0; i < tables.size(); i++) {
                TablePlan t = tables.get(i);
                run.checkCancelled();
                run.progress.table(t.name());
                long start = System.nanoTime();
                long before = run.progress.bytes.get();
                StreamChecksum stream = fromStream.get(i) ? new StreamChecksum(t.source()) : null;
                long rows = TableCopier.copy(snapshot, tgt, t.source(), t.binary(), run.progress.bytes,
                        stream == null ? null : (chunk, n) -> stream.update(chunk, 0, n));
                if (stream != null) {
                    expected[i] = stream.result();
                }
                run.progress.tableDone(rows);
                run.tables.add(TableResult.full(t.name(), rows, round(seconds(start)), run.progress.bytes.get() - before,
                        t.binary() ? "binary" : "text", t.targetRows()));
                log.info("{}: {} rows in {} s", t.name(), rows, round(seconds(start)));
            }
            Map<String, long[]> sequences = copySequences(snapshot, tx, tables);
            run.importSeconds = seconds(importStart);

            run.progress.phase("indexing");
            long indexStart = System.nanoTime();
            int steps = Math.max(1, tx.rebuildSteps());
            int[] done = {0};
            tx.rebuild(() -> run.progress.phaseFraction((double) ++done[0] / steps));
            run.indexingSeconds = seconds(indexStart);
            run.metrics.put("indexes_rebuilt", tx.droppedIndexCount());
            run.metrics.put("foreign_keys_readded", tx.droppedKeyCount());

            run.progress.phase("verification");
            long verifyStart = System.nanoTime();
            // the base's hashes of the target (taken now, in this transaction) give most tables' checksums:
            // one pass over the target instead of two
            try (OneWayBase base = OneWayBase.capture(snapshot, tgt, source, target, tables, run)) {
                List<ContentChecksum.Value> targetSums = new ArrayList<>();
                int fromBaseCount = 0;
                for (int i = 0; i < tables.size(); i++) {
                    run.checkCancelled();
                    TablePlan t = tables.get(i);
                    run.progress.table(t.name());
                    ContentChecksum.Value fromBase = base.targetChecksum(t);
                    targetSums.add(fromBase != null ? fromBase : ContentChecksum.compute(tgt, t.target(), t.binary()));
                    fromBaseCount += fromBase != null ? 1 : 0;
                    run.progress.phaseFraction((double) (i + 1) / tables.size());
                }
                SecondThread.await(serverSums, "computing the source checksums").forEach((i, value) -> expected[i] = value);
                run.metrics.put("source_checksums_from_stream", fromStream.stream().filter(b -> b).count());
                run.metrics.put("target_checksums_from_base_hashes", fromBaseCount);
                verify(tables, List.of(expected), targetSums, sequences, tgt);
                run.metrics.put("verification_seconds", round(seconds(verifyStart)));
                snapshot.commit();
                commit(tx, target, run);
                base.write(tgt, source, target, run);
            }
        }
    }

    /**
     * The backup of what the reload replaces. When both databases hold this pair's base for every keyed
     * table (a sync between them ran before), the servers compare their rows' hashes as a changes-only run
     * does, taking them from the base for rows not written since, and the archive holds only the target
     * rows that differ from the snapshot and the keys of the rows the target lacks, as a changes-only
     * run's archive (undo puts them back row by row, verified against each table's whole content checksum
     * before the run). Otherwise every table is saved whole. A re-sync's full copy over a slow link then
     * no longer brings the whole target back across it.
     */
    private void backup(Connection snapshot, Connection tgt, List<TablePlan> tables) throws SQLException, IOException {
        String pair = OneWayBase.reusablePair(snapshot, tgt, source, target);
        if (pair != null) {
            try (ChangeScan scan = new ChangeScan(tables, SyncMode.CHANGES).reusingBase(pair)) {
                if (scan.baseCoversEveryKeyedTable(snapshot, tgt)) {
                    scan.compare(snapshot, tgt, run);
                    ChangeBackup.write(tgt, scan, request, target.label(), run);
                    run.metrics.put("backup_content", "the rows the reload changes (" + scan.rowsToWrite()
                            + "), found with the base's hashes");
                    return;
                }
            }
        }
        TargetBackup.write(tgt, tables.stream().map(TablePlan::target).toList(), request.backupDir(), request.keepBackups(),
                target.label(), run);
        run.metrics.put("backup_content", "whole tables");
    }

    private static String beginSnapshot(Connection c, String importSnapshot) throws SQLException {
        SessionSettings.apply(c);
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        if (importSnapshot != null) {
            Sql.execute(c, "SET TRANSACTION SNAPSHOT " + Sql.literal(importSnapshot));
            return importSnapshot;
        }
        return Sql.queryString(c, "SELECT pg_export_snapshot()");
    }

    /** Source checksums computed by the source server, for the tables not checksummed from their stream. */
    private static Map<Integer, ContentChecksum.Value> checksumOnServer(Connection c, List<TablePlan> tables,
                                                                       List<Boolean> fromStream) throws SQLException {
        Map<Integer, ContentChecksum.Value> out = new LinkedHashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            if (!fromStream.get(i)) {
                out.put(i, ContentChecksum.compute(c, tables.get(i).source(), tables.get(i).binary()));
            }
        }
        return out;
    }

    /** Copies the sequences' values as the snapshot sees them; returns them by target sequence. */
    static Map<String, long[]> copySequences(Connection snapshot, TargetTransaction tx, List<TablePlan> tables)
            throws SQLException {
        Map<String, long[]> values = new LinkedHashMap<>();
        for (TablePlan t : tables) {
            for (SequenceLink link : t.source().sequences()) {
                SequenceLink onTarget = t.target().sequences().stream().filter(s -> s.column().equals(link.column()))
                        .findFirst().orElse(null);
                if (onTarget == null) {
                    continue;
                }
                long last = Sql.queryLong(snapshot, "SELECT last_value FROM " + link.sequence());
                boolean called = Sql.queryBoolean(snapshot, "SELECT is_called FROM " + link.sequence());
                tx.setSequence(onTarget.sequence(), last, called);
                values.put(onTarget.sequence(), new long[] {last, called ? 1 : 0});
            }
        }
        return values;
    }

    private void verify(List<TablePlan> tables, List<ContentChecksum.Value> expected, List<ContentChecksum.Value> actual,
                        Map<String, long[]> sequences, Connection tgt) throws SQLException {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            ContentChecksum.Value s = expected.get(i);
            ContentChecksum.Value t = actual.get(i);
            boolean match = s.digest().equals(t.digest());
            run.verification.add(new TableVerification(tables.get(i).name(), s.rows(), t.rows(), s.digest(), t.digest(), match,
                    tables.get(i).binary()));
            if (!match) {
                mismatches.add(tables.get(i).name());
            }
        }
        mismatches.addAll(checkSequences(tgt, sequences, run));
        if (!mismatches.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "verification failed: the target differs from the"
                    + " source snapshot in " + String.join(", ", mismatches) + "; rolled back, the target is unchanged");
        }
    }

    /** Compares the target's sequences with the values set; records each and returns the ones that differ. */
    static List<String> checkSequences(Connection tgt, Map<String, long[]> sequences, RunContext run) throws SQLException {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, long[]> e : sequences.entrySet()) {
            long last = Sql.queryLong(tgt, "SELECT last_value FROM " + e.getKey());
            boolean called = Sql.queryBoolean(tgt, "SELECT is_called FROM " + e.getKey());
            boolean ok = last == e.getValue()[0] && called == (e.getValue()[1] == 1);
            run.sequences.put(e.getKey(), ok);
            if (!ok) {
                mismatches.add("sequence " + e.getKey());
            }
        }
        return mismatches;
    }

    /** COMMIT; when the connection breaks during it, finds out whether it committed ({@link TargetCommit}). */
    static void commit(TargetTransaction tx, Database target, RunContext run) throws SQLException {
        TargetCommit.commit(tx, target, run);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * After a failure, cancels the statements still running on connections to {@code db}, unless its
     * link went silent: a cancel request would wait on the dead link, and the server ends those
     * sessions itself within the link timeout.
     */
    static void cancelQueries(Throwable failure, Database db, Connection... connections) {
        SilentLinkException silent = LinkFailures.silentLink(failure);
        if (silent == null || !silent.database().equals(db.label())) {
            cancelQueries(connections);
        }
    }

    /** Cancels the running statement of each connection (used on cancel). */
    static void cancelQueries(Connection... connections) {
        for (Connection c : connections) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException ignored) {
                // the connection is already gone: nothing to cancel
            }
        }
    }
}
