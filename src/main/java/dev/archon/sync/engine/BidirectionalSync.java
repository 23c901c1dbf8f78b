package dev.archon.sync.engine;

import dev.archon.sync.db.Database;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.Side;
import dev.archon.sync.history.BaseStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bidirectional sync: a three-way merge of the local and remote tables against their base. Each
 * side changes in ONE transaction, its tables locked SHARE ROW EXCLUSIVE from before the hashes
 * until COMMIT (Archon's reads go on, its writes wait, so no row changes unseen). The plan is
 * settled by {@link MergeDecisions}: conflicts no policy resolves, a mass deletion or a constraint
 * violation of the planned result stop the run before either side is written. Both sides are verified against the merged result, then local commits, then remote,
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
            run.metrics.put("base_hashes_reused", scan.hashesReused());
            MergeDecisions decisions = new MergeDecisions(options);
            decisions.settle(loc, rem, scan, tables, run);
            if (preview) {
                decisions.preview(loc, rem, scan, run);
                return;
            }
            decisions.refuse(loc, rem, scan, run);
            run.progress.totalRows(scan.rowsToWrite());
            if (request.backup()) {
                backup(loc, Side.LOCAL, scan, run);
                backup(rem, Side.REMOTE, scan, run);
            }
            run.exportSeconds = FullSync.seconds(exportStart);

            run.progress.phase("import");
            long importStart = System.nanoTime();
            Map<Side, Map<String, ChangeApplier>> appliers = Map.of(
                    Side.LOCAL, MergeApply.apply(Side.LOCAL, loc, rem, scan, tables, run),
                    Side.REMOTE, MergeApply.apply(Side.REMOTE, rem, loc, scan, tables, run));
            Map<String, Long> sequences = SequenceMerge.apply(loc, rem, tables);
            run.importSeconds = FullSync.seconds(importStart);

            run.progress.phase("verification");
            MergeCommit finish = new MergeCommit(local, remote, tables);
            long verifyStart = System.nanoTime();
            finish.verify(loc, rem, scan, appliers, sequences, run);
            run.metrics.put("verification_seconds", FullSync.round(FullSync.seconds(verifyStart)));
            finish.commit(loc, rem, pairId, scan, run);
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

    /**
     * One side's backup, as a changes-only run takes it: the rows the merge replaces or deletes there
     * (the losing versions of resolved conflicts among them), the keys it inserts, every sequence.
     */
    private void backup(Connection c, Side side, MergeScan scan, RunContext run) throws SQLException, IOException {
        if (scan.entries().stream().allMatch(e -> e.merge.counts(side).changed() == 0)) {
            return;
        }
        List<ChangeBackup.Table> tables = plan.tables().stream().map(t -> {
            MergeScan.Entry e = scan.entry(t);
            return new ChangeBackup.Table(MergeApply.info(side, t), e.keyed, e.merge.counts(side).changed() > 0 ? e.keys(side) : null,
                    false, ChangeBackup.sameColumns(t) ? e.merge.digests(side).before() : null);
        }).toList();
        var file = ChangeBackup.write(c, tables, request, MergeApply.label(side), run.syncId + "_" + MergeApply.label(side), run);
        run.metrics.put("backup_" + MergeApply.label(side), file.toString());
    }
}
