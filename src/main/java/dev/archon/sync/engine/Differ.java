package dev.archon.sync.engine;

import dev.archon.sync.db.Database;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.ChangeKind;
import dev.archon.sync.delta.CopyText;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.delta.TableDiff;
import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.TableInfo;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Computes a {@link DiffReport}: both sides hashed in read-only snapshots; nothing is written anywhere. */
final class Differ {
    static final int SHORTEN = 60;

    private Differ() {
    }

    static DiffReport diff(Database source, Database target, Preflight plan, int examples, RunContext run)
            throws SQLException, IOException {
        try (Connection s = source.open("archon-sync diff"); Connection t = target.open("archon-sync diff");
             ChangeScan scan = new ChangeScan(plan.tables(), SyncMode.CHANGES, Math.min(examples, DiffReport.MAX_EXAMPLES))) {
            for (Connection c : List.of(s, t)) {
                SessionSettings.apply(c);
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
            }
            scan.reusingBase(OneWayBase.reusablePair(s, t, source, target)).compare(s, t, run);
            List<DiffReport.Table> out = new ArrayList<>();
            for (TablePlan p : plan.tables()) {
                TableDiff d = scan.diff(p);
                if (d == null) {
                    out.add(new DiffReport.Table(p.name(), p.sourceRows(), 0, p.targetRows(), 0, scan.fullReason(p),
                            p.sensitive(), Map.of()));
                    continue;
                }
                Map<String, List<DiffReport.Example>> ex = new LinkedHashMap<>();
                if (examples > 0) {
                    for (ChangeKind kind : ChangeKind.values()) {
                        List<DiffReport.Example> list = new ArrayList<>();
                        for (HashedRow key : scan.keys(p).examples(kind)) {
                            list.add(example(s, t, p, key, kind));
                        }
                        if (!list.isEmpty()) {
                            ex.put(kind.name().toLowerCase(), list);
                        }
                    }
                }
                out.add(new DiffReport.Table(p.name(), d.inserts(), d.updates(), d.deletes(), d.unchanged(), null, p.sensitive(), ex));
            }
            s.rollback();
            t.rollback();
            return new DiffReport(plan.direction(), out);
        }
    }

    private static DiffReport.Example example(Connection s, Connection t, TablePlan p, HashedRow key, ChangeKind kind)
            throws SQLException {
        List<String> keyColumns = p.source().key();
        Map<String, String> keyValues = new LinkedHashMap<>();
        String[] fields = key.key();
        for (int i = 0; i < keyColumns.size(); i++) {
            keyValues.put(keyColumns.get(i), shorten(CopyText.unescape(fields[i])));
        }
        if (kind != ChangeKind.UPDATE) {
            return new DiffReport.Example(keyValues, List.of());
        }
        List<String> before = values(t, p.target(), keyColumns, fields);
        List<String> after = values(s, p.source(), keyColumns, fields);
        List<Map<String, String>> columns = new ArrayList<>();
        List<Column> cols = p.source().copiedColumns();
        for (int i = 0; i < cols.size(); i++) {
            if (!java.util.Objects.equals(before.get(i), after.get(i))) {
                Map<String, String> c = new LinkedHashMap<>();
                c.put("column", cols.get(i).name());
                if (!p.sensitive()) {
                    c.put("source", after.get(i) == null ? "NULL" : shorten(after.get(i)));
                    c.put("target", before.get(i) == null ? "NULL" : shorten(before.get(i)));
                }
                columns.add(c);
            }
        }
        return new DiffReport.Example(keyValues, columns);
    }

    /** The row's copied columns as text (null for NULL), found by key. */
    private static List<String> values(Connection c, TableInfo table, List<String> keyColumns, String[] fields)
            throws SQLException {
        List<Column> cols = table.copiedColumns();
        String sql = "SELECT " + cols.stream().map(col -> Sql.ident(col.name()) + "::text").collect(Collectors.joining(", "))
                + " FROM ONLY " + table.name().quoted() + " WHERE " + keyColumns.stream()
                .map(k -> Sql.ident(k) + " = CAST(? AS " + table.column(k).type() + ")").collect(Collectors.joining(" AND "));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < keyColumns.size(); i++) {
                ps.setString(i + 1, CopyText.unescape(fields[i]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                boolean found = rs.next();
                for (int i = 0; i < cols.size(); i++) {
                    out.add(found ? rs.getString(i + 1) : null);
                }
                return out;
            }
        }
    }

    static String shorten(String v) {
        if (v == null) {
            return null;
        }
        String oneLine = v.replace("\n", "\\n").replace("\t", "\\t");
        return oneLine.length() <= SHORTEN ? oneLine : oneLine.substring(0, SHORTEN - 1) + "…";
    }
}
