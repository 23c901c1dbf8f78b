package dev.archon.sync.engine;

import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.ConflictKind;
import dev.archon.sync.delta.CopyText;
import dev.archon.sync.delta.KeyConflict;
import dev.archon.sync.schema.SequenceLink;
import dev.archon.sync.schema.TableInfo;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rows inserted on both sides under the same sequence-generated key are two different rows when
 * their natural keys (the table's other UNIQUE keys) differ, or, for a table without one, when a
 * base shows neither existed before. Both are kept: the remote row moves to a fresh key past every
 * value used on either side (in the remote's open transaction, its user triggers off; foreign keys
 * declared ON UPDATE CASCADE follow), and the table is merged again, so each row is then carried to
 * the other side. Rows whose natural keys agree stay conflicts: they are one logical row.
 */
final class KeyCollisions {
    private KeyCollisions() {
    }

    /** Renumbers every such collision; returns per table the moves ("old -> new"). */
    static Map<String, List<String>> renumber(Connection loc, Connection rem, MergeScan scan, RunContext run)
            throws SQLException, IOException {
        Map<String, List<String>> moves = new LinkedHashMap<>();
        for (MergeScan.Entry e : scan.entries()) {
            TablePlan t = e.plan;
            SequenceLink seq = generatedKey(t.target());
            if (seq == null || generatedKey(t.source()) == null) {
                continue;
            }
            List<KeyConflict> candidates = java.util.stream.Stream.concat(e.merge.unresolved().stream(),
                            e.merge.resolved().stream().map(dev.archon.sync.delta.Resolution::conflict))
                    .filter(c -> c.kind() == ConflictKind.INSERT_INSERT && c.base() == null).toList();
            List<List<String>> naturalKeys = uniqueKeys(rem, t.target());
            if (candidates.isEmpty() || (naturalKeys.isEmpty() && !e.merge.hasBase())) {
                continue;
            }
            var keys = candidates.stream().map(KeyConflict::key).toList();
            Map<String, Map<String, String>> l = ConflictRows.columns(loc, e.keyed, keys);
            Map<String, Map<String, String>> r = ConflictRows.columns(rem, e.keyed, keys);
            List<KeyConflict> different = candidates.stream().filter(c -> naturalKeys.stream()
                    .noneMatch(u -> same(l.get(c.key().keyLine()), r.get(c.key().keyLine()), u))).toList();
            if (different.isEmpty()) {
                continue;
            }
            String column = Sql.ident(seq.column());
            String table = t.target().name().quoted();
            long next = 1 + Math.max(Sql.queryLong(loc, "SELECT coalesce(max(" + column + "), 0)::bigint FROM ONLY " + table),
                    Math.max(Sql.queryLong(rem, "SELECT coalesce(max(" + column + "), 0)::bigint FROM ONLY " + table),
                            Math.max(Sql.queryLong(loc, "SELECT last_value FROM " + generatedKey(t.source()).sequence()),
                                    Sql.queryLong(rem, "SELECT last_value FROM " + seq.sequence()))));
            List<String> moved = new ArrayList<>();
            if (t.target().userTriggers()) {
                Sql.execute(rem, "ALTER TABLE " + table + " DISABLE TRIGGER USER");
            }
            for (KeyConflict c : different) {
                long old = Long.parseLong(CopyText.unescape(c.key().key()[0]));
                Sql.update(rem, "UPDATE ONLY " + table + " SET " + column + " = ? WHERE " + column + " = ?", next, old);
                moved.add(old + " -> " + next);
                next++;
            }
            if (t.target().userTriggers()) {
                Sql.execute(rem, "ALTER TABLE " + table + " ENABLE TRIGGER USER");
            }
            moves.put(t.name(), moved);
            scan.rescan(t, loc, rem, run);
        }
        return moves;
    }

    /** The sequence behind a single-column integer key, or null. */
    private static SequenceLink generatedKey(TableInfo t) {
        if (t.key().size() != 1) {
            return null;
        }
        return t.sequences().stream().filter(s -> s.column().equals(t.key().get(0))).findFirst().orElse(null);
    }

    /** The columns of each UNIQUE index of the table other than its primary key. */
    static List<List<String>> uniqueKeys(Connection c, TableInfo t) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        for (String cols : Sql.queryStrings(c, "SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_index i"
                + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                + " WHERE i.indrelid = ?::regclass AND i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL"
                + " GROUP BY i.indexrelid HAVING bool_and(k.attnum > 0)", t.name().quoted())) {
            out.add(List.of(cols.split(",")));
        }
        return out;
    }

    /** Whether two rows hold equal non-null values in every column of a unique key (NULLs never collide). */
    private static boolean same(Map<String, String> a, Map<String, String> b, List<String> columns) {
        if (a == null || b == null) {
            return false;
        }
        return columns.stream().allMatch(col -> a.get(col) != null && Objects.equals(a.get(col), b.get(col)));
    }
}
