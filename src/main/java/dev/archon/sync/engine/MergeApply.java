package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.KeyedTable;
import dev.archon.sync.delta.Side;
import dev.archon.sync.delta.SideCounts;
import dev.archon.sync.schema.TableInfo;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one side of a merge inside that side's transaction with the changes-only applier, reading
 * the rows to carry from the other side's transaction: deletes in reverse load order, then inserts
 * and updates in load order, with the side's user triggers off (they would stamp the carried rows).
 */
final class MergeApply {
    private MergeApply() {
    }

    /** @return the appliers of the tables written, by table name (they verify what they wrote) */
    static Map<String, ChangeApplier> apply(Side side, Connection self, Connection other, MergeScan scan, List<TablePlan> tables,
                                            RunContext run) throws SQLException, IOException {
        List<TablePlan> written = tables.stream().filter(t -> scan.entry(t).merge.counts(side).changed() > 0).toList();
        List<TableInfo> triggers = written.stream().map(t -> info(side, t)).filter(TableInfo::userTriggers).toList();
        for (TableInfo t : triggers) {
            Sql.execute(self, "ALTER TABLE " + t.name().quoted() + " DISABLE TRIGGER USER");
        }
        Map<String, ChangeApplier> appliers = new LinkedHashMap<>();
        Map<String, Long> deleted = new LinkedHashMap<>();
        try {
            for (int i = tables.size() - 1; i >= 0; i--) {
                TablePlan t = tables.get(i);
                if (!written.contains(t)) {
                    continue;
                }
                run.checkCancelled();
                KeyedTable from = new KeyedTable(info(side.other(), t), t.binary());
                ChangeApplier a = new ChangeApplier(other, self, from, info(side, t), t.binary(), (side == Side.LOCAL ? 0 : 10_000) + i);
                appliers.put(t.name(), a);
                deleted.put(t.name(), a.delete(scan.entry(t).keys(side)));
            }
            for (TablePlan t : written) {
                run.checkCancelled();
                run.progress.table(t.name());
                long start = System.nanoTime();
                long before = run.progress.bytes.get();
                ChangeApplier a = appliers.get(t.name());
                long[] iu = a.upsert(scan.entry(t).keys(side), run.progress.bytes);
                long del = deleted.get(t.name());
                SideCounts expected = scan.entry(t).merge.counts(side);
                run.progress.tableDone(iu[0] + iu[1] + del);
                run.tables.add(new TableResult(t.name(), iu[0] + iu[1] + del, FullSync.round(FullSync.seconds(start)),
                        run.progress.bytes.get() - before, t.binary() ? "binary" : "text", "to-" + label(side), iu[0], iu[1], del,
                        a.statements));
                if (iu[0] != expected.inserts() || iu[1] != expected.updates() || del != expected.deletes()) {
                    throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, t.name() + " on the " + label(side)
                            + " database: the apply wrote other counts than the merge planned; rolled back on both");
                }
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState()) || "23503".equals(e.getSQLState())) {
                // the pre-write check (MergeCheck) should have refused this; an order the check cannot see
                // (two rows swapping a unique value in one UPDATE) still ends here, rolled back on both
                throw new ArchonSyncException(ErrorCode.REFUSED, "refused: the merged rows break a "
                        + ("23505".equals(e.getSQLState()) ? "UNIQUE constraint" : "foreign key") + " on the " + label(side)
                        + " database (" + ArchonSyncException.firstLine(String.valueOf(e.getMessage())) + ") that the check"
                        + " before writing did not foresee; rolled back, nothing was changed on either database", e);
            }
            throw e;
        }
        for (TableInfo t : triggers) {
            Sql.execute(self, "ALTER TABLE " + t.name().quoted() + " ENABLE TRIGGER USER");
        }
        return appliers;
    }

    static TableInfo info(Side side, TablePlan t) {
        return side == Side.LOCAL ? t.source() : t.target();
    }

    static String label(Side side) {
        return side == Side.LOCAL ? "local" : "remote";
    }
}
