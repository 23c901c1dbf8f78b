package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.Side;
import dev.archon.sync.delta.SideDigests;
import dev.archon.sync.delta.TableMerge;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of a bidirectional sync once both sides are written: each side verified against the
 * merged result (both servers at the same time), local committed, then remote (the truth about
 * each recorded whatever happens), then the new base written on both. Used once per run.
 */
final class MergeCommit {
    private final Database local;
    private final Database remote;
    private final List<TablePlan> tables;

    MergeCommit(Database local, Database remote, List<TablePlan> tables) {
        this.local = local;
        this.remote = remote;
        this.tables = tables;
    }

    /**
     * Verifies both sides and the sequences; throws VERIFICATION_FAILED (nothing committed) on any
     * difference. Each side's checksum after the apply is computed as a changes-only run's is: the
     * side's checksum before (its hashes, taken under the run's lock), less its rows the merge
     * replaced, plus the server's checksum of the rows now at the keys it wrote; the rows left at
     * deleted keys are counted (none may be). Rows the merge did not touch cannot have changed: the
     * lock keeps other writers out, and each statement's row count was checked.
     */
    void verify(Connection loc, Connection rem, MergeScan scan, Map<Side, Map<String, ChangeApplier>> appliers,
                Map<String, Long> sequences, RunContext run) throws SQLException, java.io.IOException {
        List<String> mismatches = new ArrayList<>();
        // each server checks its own side at the same time
        try (SecondThread pool = new SecondThread("archon-sync local verification")) {
            java.util.concurrent.Future<List<TableVerification>> localCheck = pool.submit(() -> verify(Side.LOCAL, scan,
                    appliers.get(Side.LOCAL)));
            mismatches.addAll(record(verify(Side.REMOTE, scan, appliers.get(Side.REMOTE)), run));
            mismatches.addAll(record(SecondThread.await(localCheck, "verifying: rolled back on both"), run));
        }
        mismatches.addAll(SequenceMerge.check(loc, sequences, "local", run));
        mismatches.addAll(SequenceMerge.check(rem, sequences, "remote", run));
        if (!mismatches.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "verification failed: " + String.join(", ", mismatches)
                    + " differ from the merged result; rolled back on both, nothing was changed");
        }
    }

    /**
     * Both commits, then the new base on both sides, with each side's row versions (xmins) read in
     * its transaction just before its COMMIT, so the next run reuses the merged hashes of rows nothing
     * has written since.
     */
    void commit(Connection loc, Connection rem, String pairId, MergeScan scan, RunContext run) throws SQLException {
        Map<String, HashFile> localXmins = new LinkedHashMap<>();
        Map<String, HashFile> remoteXmins = new LinkedHashMap<>();
        try {
            for (MergeScan.Entry e : scan.entries()) {
                localXmins.put(e.plan.name(), HashFile.capture(loc, e.keyed.xminCopySql()));
                remoteXmins.put(e.plan.name(), HashFile.capture(rem, e.keyed.xminCopySql()));
            }
            commitBoth(loc, rem, run);
            SyncBase.writeBoth(local.label(), () -> writeBase(loc, local, pairId, scan, localXmins, run.syncId),
                    remote.label(), () -> writeBase(rem, remote, pairId, scan, remoteXmins, run.syncId), run);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (HashFile f : java.util.stream.Stream.concat(localXmins.values().stream(), remoteXmins.values().stream()).toList()) {
                try {
                    f.close();
                } catch (java.io.IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** One side's checks (no shared state touched: safe on another thread). */
    private List<TableVerification> verify(Side side, MergeScan scan, Map<String, ChangeApplier> appliers)
            throws SQLException, java.io.IOException {
        List<TableVerification> out = new ArrayList<>();
        for (TablePlan t : tables) {
            MergeScan.Entry e = scan.entry(t);
            TableMerge m = e.merge;
            String expected = m.mergedDigest();
            SideDigests digests = m.digests(side);
            String actual = digests.before();
            if (m.counts(side).changed() > 0) {
                long[] left = new long[1];
                String written = appliers.get(t.name()).writtenChecksum(e.keys(side), left).digest();
                actual = left[0] == 0 ? digests.after(written) : "rows left at deleted keys: " + left[0];
            }
            long rows = actual.indexOf(':') < 0 ? -1 : Long.parseLong(actual.substring(0, actual.indexOf(':')));
            out.add(new TableVerification(t.name() + " (" + MergeApply.label(side) + ")", m.mergedRows(), rows, expected, actual,
                    expected.equals(actual), t.binary()));
        }
        return out;
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

    /**
     * The new base of one side, last: both sides hold the merged result now. A failure here loses
     * nothing (the old base stays). Both sides' are written at the same time.
     */
    private static String writeBase(Connection c, Database db, String pairId, MergeScan scan, Map<String, HashFile> xmins,
                                    String syncId) {
        return SyncBase.write(c, db.label(), pairId, scan.entries().stream().map(e -> new SyncBase.Table(e.plan.name(),
                e.keyed.keyColumns().size(), e::mergedLines, false, e.keyed.hashForm(), xmins.get(e.plan.name())::open)).toList(), syncId);
    }
}
