package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.ConflictPolicy;
import dev.archon.sync.delta.KeyConflict;
import dev.archon.sync.delta.Resolution;
import dev.archon.sync.delta.Side;
import dev.archon.sync.delta.TableMerge;
import dev.archon.sync.history.BaseStore;
import dev.archon.sync.verify.ContentChecksum;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bidirectional sync: a three-way merge of the local and remote tables against their base. Each
 * side changes in ONE transaction, its tables locked SHARE ROW EXCLUSIVE from before the hashes
 * until COMMIT (Archon's reads go on, its writes wait, so no row changes unseen). Conflicts no
 * policy resolves, a mass deletion or a constraint violation stop the run before either side
 * commits. Both sides are verified against the merged result, then local commits, then remote,
 * then the new base is written on both (last: a run that dies before it leaves the old base, and
 * the next run converges). Used once per run.
 */
final class BidirectionalSync implements RunWork {
    private static final Logger log = LoggerFactory.getLogger(BidirectionalSync.class);

    private final Database local;
    private final Database remote;
    private final SyncRequest request;
    private final MergeOptions options;
    private final Preflight plan;
    private final boolean preview;

    /**
     * @param preview only compare and classify (conflicts listed, mass deletions named in the
     *                metrics), then roll back: nothing is written, not even a base
     */
    BidirectionalSync(Database local, Database remote, SyncRequest request, MergeOptions options, Preflight plan,
                      boolean preview) {
        this.local = local;
        this.remote = remote;
        this.request = request;
        this.options = options;
        this.plan = plan;
        this.preview = preview;
    }

    RunWork.Description description() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("local", local.config().describe());
        m.put("remote", remote.config().describe());
        m.put("local_version", plan.sourceVersion());
        m.put("remote_version", plan.targetVersion());
        m.put("mode", "merge");
        m.put("on_conflict", options.onConflict().name().toLowerCase(java.util.Locale.ROOT));
        m.put("allow_mass_delete", options.allowMassDelete());
        return new RunWork.Description(Direction.BIDIRECTIONAL, "sync", plan.tables().stream().map(TablePlan::name).toList(),
                0, m);
    }

    @Override
    public void apply(RunContext run) throws SQLException, IOException {
        run.progress.phase("export");
        long exportStart = System.nanoTime();
        try (Connection loc = local.open("archon-sync merge"); Connection rem = remote.open("archon-sync merge")) {
            run.cancelWith(loc, rem);
            try {
                applyIn(loc, rem, run, exportStart);
            } catch (SQLException | IOException | RuntimeException e) {
                FullSync.cancelQueries(e, local, loc);
                FullSync.cancelQueries(e, remote, rem);
                throw e;
            }
        }
    }

    private void applyIn(Connection loc, Connection rem, RunContext run, long exportStart) throws SQLException, IOException {
        List<TablePlan> tables = plan.tables();
        lock(loc, tables, Side.LOCAL);
        lock(rem, tables, Side.REMOTE);
        run.lockedAt = System.nanoTime();
        String pairId = BaseStore.pairId(BaseStore.identity(loc, local.label()), BaseStore.identity(rem, remote.label()));
        try (MergeScan scan = new MergeScan(tables, pairId, options.onConflict())) {
            scan.compare(loc, rem, run);
            run.metrics.put("hash_bytes", scan.hashBytes());
            Map<String, List<String>> moved = KeyCollisions.renumber(loc, rem, scan, run);
            if (!moved.isEmpty()) {
                run.metrics.put("generated_keys_renumbered_on_remote", moved);
            }
            if (options.onConflict() == ConflictPolicy.NEWER) {
                resolveByUpdatedAt(loc, rem, scan, run);
            }
            recordPlan(scan, run);
            if (preview) {
                listConflicts(loc, rem, scan, run);
                run.metrics.put("mass_delete", massDeletes(scan));
                return;
            }
            refuseConflicts(loc, rem, scan, run);
            refuseMassDeletes(scan);
            run.progress.totalRows(scan.rowsToWrite());
            if (request.backup()) {
                backup(loc, Side.LOCAL, scan, run);
                backup(rem, Side.REMOTE, scan, run);
            }
            run.exportSeconds = FullSync.seconds(exportStart);

            run.progress.phase("import");
            long importStart = System.nanoTime();
            MergeApply.apply(Side.LOCAL, loc, rem, scan, tables, run);
            MergeApply.apply(Side.REMOTE, rem, loc, scan, tables, run);
            Map<String, Long> sequences = SequenceMerge.apply(loc, rem, tables);
            run.importSeconds = FullSync.seconds(importStart);

            run.progress.phase("verification");
            List<String> mismatches = new ArrayList<>();
            // each server checks its own side at the same time
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor(
                    r -> new Thread(r, "archon-sync local verification"));
            try {
                java.util.concurrent.Future<List<TableVerification>> localCheck = pool.submit(() -> verify(loc, Side.LOCAL, scan));
                mismatches.addAll(verifyInto(rem, Side.REMOTE, scan, run));
                mismatches.addAll(awaitVerification(localCheck, run));
            } finally {
                pool.shutdownNow();
            }
            mismatches.addAll(SequenceMerge.check(loc, sequences, "local", run));
            mismatches.addAll(SequenceMerge.check(rem, sequences, "remote", run));
            if (!mismatches.isEmpty()) {
                throw new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "verification failed: " + String.join(", ", mismatches)
                        + " differ from the merged result; rolled back on both, nothing was changed");
            }
            commitBoth(loc, rem, run);
            writeBase(loc, local, pairId, scan, run);
            writeBase(rem, remote, pairId, scan, run);
            log.info("bidirectional sync committed: {} rows written", scan.rowsToWrite());
        }
    }

    private void lock(Connection c, List<TablePlan> tables, Side side) throws SQLException {
        SessionSettings.apply(c);
        c.setAutoCommit(false);
        Sql.execute(c, "SET LOCAL lock_timeout = '" + request.lockTimeout().toMillis() + "ms'");
        Sql.execute(c, "LOCK TABLE " + tables.stream().map(t -> MergeApply.info(side, t).name().quoted())
                .collect(Collectors.joining(", ")) + " IN SHARE ROW EXCLUSIVE MODE");
        Sql.execute(c, "SET LOCAL lock_timeout = 0");
    }

    private void resolveByUpdatedAt(Connection loc, Connection rem, MergeScan scan, RunContext run) throws SQLException, IOException {
        List<String> fallback = new ArrayList<>();
        for (Map.Entry<TablePlan, List<KeyConflict>> e : scan.unresolved().entrySet()) {
            TablePlan t = e.getKey();
            if (t.source().column("updated_at") == null || t.target().column("updated_at") == null) {
                fallback.add(t.name());
                continue;
            }
            var keys = e.getValue().stream().map(KeyConflict::key).toList();
            Map<String, Instant> l = ConflictRows.updatedAt(loc, scan.entry(t).keyed, keys);
            Map<String, Instant> r = ConflictRows.updatedAt(rem, scan.entry(t).keyed, keys);
            List<Resolution> resolved = new ArrayList<>();
            for (KeyConflict c : e.getValue()) {
                Optional<Side> winner = ConflictPolicy.newer(c, l.get(c.key().keyLine()), r.get(c.key().keyLine()));
                winner.ifPresent(w -> resolved.add(new Resolution(c, w)));
            }
            scan.resolve(t, resolved);
        }
        if (!fallback.isEmpty()) {
            run.metrics.put("newer_not_applicable", fallback);
            log.warn("--on-conflict newer does not apply to {} (no updated_at column): their conflicts fail", fallback);
        }
    }

    private static void recordPlan(MergeScan scan, RunContext run) {
        Map<String, Object> merge = new LinkedHashMap<>();
        for (MergeScan.Entry e : scan.entries()) {
            TableMerge m = e.merge;
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("base", m.hasBase() ? e.baseSyncId : null);
            t.put("base_rows", m.baseRows());
            t.put("in_sync", m.inSync());
            t.put("to_local", m.toLocal());
            t.put("to_remote", m.toRemote());
            t.put("conflicts_resolved", m.resolved().size());
            t.put("conflicts_unresolved", m.unresolved().size());
            merge.put(e.plan.name(), t);
        }
        run.metrics.put("merge", merge);
    }

    private static List<Map<String, Object>> listConflicts(Connection loc, Connection rem, MergeScan scan, RunContext run)
            throws SQLException, IOException {
        Map<TablePlan, List<KeyConflict>> conflicts = scan.unresolved();
        long total = conflicts.values().stream().mapToLong(List::size).sum();
        List<Map<String, Object>> listed = conflicts.isEmpty() ? List.of() : ConflictList.describe(loc, rem, conflicts, scan);
        run.metrics.put("conflicts", listed);
        run.metrics.put("conflict_count", total);
        return listed;
    }

    private void refuseConflicts(Connection loc, Connection rem, MergeScan scan, RunContext run) throws SQLException, IOException {
        Map<TablePlan, List<KeyConflict>> conflicts = scan.unresolved();
        if (conflicts.isEmpty()) {
            return;
        }
        long total = conflicts.values().stream().mapToLong(List::size).sum();
        List<Map<String, Object>> listed = listConflicts(loc, rem, scan, run);
        throw new ArchonSyncException(ErrorCode.CONFLICTS, total + " conflict" + (total == 1 ? "" : "s") + " in "
                + conflicts.keySet().stream().map(TablePlan::name).collect(Collectors.joining(", "))
                + ": nothing was changed on either database; choose with --on-conflict local|remote|newer",
                ConflictList.lines(listed), null);
    }

    private void refuseMassDeletes(MergeScan scan) {
        if (options.allowMassDelete()) {
            return;
        }
        List<String> tables = massDeletes(scan);
        if (!tables.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.REFUSED, "refused: the merge would delete more than half of the rows of "
                    + String.join(", ", tables) + "; nothing was changed (a wiped database looks like this). If the"
                    + " deletions are wanted, run again with --allow-mass-delete", tables, null);
        }
    }

    private static List<String> massDeletes(MergeScan scan) {
        List<String> tables = new ArrayList<>();
        for (MergeScan.Entry e : scan.entries()) {
            if (e.merge.massDelete()) {
                tables.add(e.plan.name() + " (" + e.merge.inferredDeletes() + " of " + e.merge.baseRows() + " base rows: "
                        + e.merge.toLocal().deletes() + " on local, " + e.merge.toRemote().deletes() + " on remote)");
            }
        }
        return tables;
    }

    private void backup(Connection c, Side side, MergeScan scan, RunContext run) throws SQLException, IOException {
        var written = plan.tables().stream().filter(t -> scan.entry(t).merge.counts(side).changed() > 0)
                .map(t -> MergeApply.info(side, t)).toList();
        if (!written.isEmpty()) {
            var file = TargetBackup.write(c, written, request.backupDir(), request.keepBackups(), MergeApply.label(side), run,
                    run.syncId + "_" + MergeApply.label(side));
            run.metrics.put("backup_" + MergeApply.label(side), file.toString());
        }
    }

    /** One side's checks (no shared state touched: safe on another thread). */
    private List<TableVerification> verify(Connection c, Side side, MergeScan scan) throws SQLException {
        List<TableVerification> out = new ArrayList<>();
        for (TablePlan t : plan.tables()) {
            TableMerge m = scan.entry(t).merge;
            String expected = m.mergedDigest();
            boolean written = m.counts(side).changed() > 0;
            String actual = written ? ContentChecksum.compute(c, MergeApply.info(side, t), t.binary()).digest() : expected;
            long rows = Long.parseLong(actual.substring(0, actual.indexOf(':')));
            out.add(new TableVerification(t.name() + " (" + MergeApply.label(side) + ")", m.mergedRows(), rows, expected, actual,
                    expected.equals(actual), t.binary()));
        }
        return out;
    }

    private List<String> verifyInto(Connection c, Side side, MergeScan scan, RunContext run) throws SQLException {
        return record(verify(c, side, scan), run);
    }

    private static List<String> awaitVerification(java.util.concurrent.Future<List<TableVerification>> f, RunContext run)
            throws SQLException {
        try {
            return record(f.get(), run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchonSyncException(ErrorCode.CANCELLED, "interrupted during verification: rolled back on both", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static List<String> record(List<TableVerification> checks, RunContext run) {
        List<String> wrong = new ArrayList<>();
        for (TableVerification v : checks) {
            run.verification.add(v);
            if (!v.match()) {
                wrong.add(v.tableName());
            }
        }
        return wrong;
    }

    /** Local first, then remote; the truth about each is recorded whatever happens. */
    private void commitBoth(Connection loc, Connection rem, RunContext run) throws SQLException {
        Map<String, String> commits = new LinkedHashMap<>();
        commits.put("local", "rolled back");
        commits.put("remote", "rolled back");
        run.metrics.put("commits", commits);
        run.checkCancelled();
        commit(loc, local);
        commits.put("local", "committed");
        try {
            commit(rem, remote);
        } catch (SQLException | RuntimeException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "local committed, remote rolled back ("
                    + ArchonSyncException.firstLine(String.valueOf(e.getMessage())) + "): the local database already has the"
                    + " remote's changes; run the bidirectional sync again to carry the local changes to the remote"
                    + " (the base was not moved, so nothing is lost)", e);
        }
        commits.put("remote", "committed");
        run.committedAt = System.nanoTime();
    }

    /** COMMIT; when the connection drops during it, asks the server whether it committed. */
    private static void commit(Connection c, Database db) throws SQLException {
        long xid = Sql.queryLong(c, "SELECT txid_current()");
        try {
            c.commit();
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (!state.startsWith("08") && !state.startsWith("57P")) {
                throw e;
            }
            try (Connection check = db.open("archon-sync commit check")) {
                if (!"committed".equals(Sql.queryString(check, "SELECT txid_status(?)", xid))) {
                    throw e;
                }
            }
        }
    }

    /** The new base, last: both sides hold the merged result now. A failure here loses nothing (the old base stays). */
    private static void writeBase(Connection c, Database db, String pairId, MergeScan scan, RunContext run) {
        SyncBase.write(c, db.label(), pairId, scan.entries().stream().map(e -> new SyncBase.Table(e.plan.name(),
                e.keyed.keyColumns().size(), e::mergedLines, false, e.keyed.hashForm())).toList(), run);
    }
}
