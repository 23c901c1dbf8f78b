package dev.archon.sync.engine;

import dev.archon.sync.copy.CopyPump;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.ChangeKind;
import dev.archon.sync.delta.CopyText;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.delta.KeyedTable;
import dev.archon.sync.delta.Side;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * Checks a merge's planned result against the UNIQUE keys and foreign keys of the merged tables
 * BEFORE anything is written, on both open transactions. Per side, only what changes is read: the
 * keys the merge writes there go to a temporary key table, and the other side's versions of the
 * rows it inserts or updates (their key, unique and foreign key columns only) to a temporary table;
 * then one query per constraint joins them with the side's table through its indexes. The side's
 * result is "its rows minus the keys written, plus the carried rows". Temporary tables are dropped
 * before it returns.
 */
final class MergeCheck {
    static final int MAX_LISTED = 50;
    /** Temporary tables with more rows than this get statistics (smaller ones are planned well without). */
    static final long ANALYZE_ABOVE = 1000;

    /** Two rows, one from each side, that the merged result would hold with the same value of a UNIQUE key. */
    record Collision(TablePlan table, String constraint, List<String> columns, List<String> values, HashedRow local,
                     HashedRow remote) {
        String id() {
            return table.name() + "\n" + constraint + "\n" + local.keyLine() + "\n" + remote.keyLine();
        }
    }

    /**
     * @param collisions UNIQUE collisions, each pair once
     * @param orphans    rows whose foreign key would point at nothing (or be cascaded away), one line each
     */
    record Result(List<Collision> collisions, List<String> orphans) {
        boolean clean() {
            return collisions.isEmpty() && orphans.isEmpty();
        }
    }

    private MergeCheck() {
    }

    static Result run(Connection loc, Connection rem, MergeScan scan, MergeConstraints localConstraints,
            MergeConstraints remoteConstraints) throws SQLException, IOException {
        Map<String, Collision> collisions = new LinkedHashMap<>();
        List<String> orphans = new ArrayList<>();
        new SideCheck(Side.LOCAL, loc, rem, scan, localConstraints).run(collisions, orphans);
        new SideCheck(Side.REMOTE, rem, loc, scan, remoteConstraints).run(collisions, orphans);
        return new Result(List.copyOf(collisions.values()), List.copyOf(orphans));
    }

    /** The check of one side. */
    private static final class SideCheck {
        private final Side side;
        private final Connection self;
        private final Connection other;
        private final MergeScan scan;
        private final MergeConstraints constraints;
        private final Map<String, Integer> staged = new LinkedHashMap<>();
        private final Map<String, Boolean> carried = new LinkedHashMap<>();

        SideCheck(Side side, Connection self, Connection other, MergeScan scan, MergeConstraints constraints) {
            this.side = side;
            this.self = self;
            this.other = other;
            this.scan = scan;
            this.constraints = constraints;
        }

        void run(Map<String, Collision> collisions, List<String> orphans) throws SQLException, IOException {
            try {
                List<MergeScan.Entry> entries = scan.entries();
                for (int i = 0; i < entries.size(); i++) {
                    var counts = entries.get(i).merge.counts(side);
                    // deletes alone break nothing unless rows elsewhere reference the table
                    boolean matters = counts.inserts() + counts.updates() > 0 ? constraints.concerns(entries.get(i).plan)
                            : counts.deletes() > 0 && constraints.referenced(entries.get(i).plan);
                    if (matters) {
                        stage(entries.get(i), i);
                    }
                }
                for (MergeScan.Entry e : entries) {
                    if (carried.getOrDefault(e.plan.name(), false)) {
                        for (MergeConstraints.Unique u : constraints.uniques(e.plan)) {
                            unique(e.plan, u, collisions);
                        }
                    }
                }
                for (MergeConstraints.Reference r : constraints.foreignKeys()) {
                    if (carried.getOrDefault(r.child().name(), false)) {
                        orphans.addAll(carriedChildren(r));
                    }
                    if (staged.containsKey(r.parent().name())) {
                        orphans.addAll(strandedChildren(r));
                    }
                }
            } finally {
                if (!staged.isEmpty()) {
                    Sql.execute(self, "DROP TABLE IF EXISTS " + staged.values().stream().map(i -> keys(i) + ", " + rows(i))
                            .collect(Collectors.joining(", ")));
                    Sql.execute(other, "DROP TABLE IF EXISTS " + staged.values().stream().map(SideCheck::otherKeys)
                            .collect(Collectors.joining(", ")));
                }
            }
        }

        private KeyedTable keyed(TablePlan t) {
            return new KeyedTable(MergeApply.info(side, t), t.binary());
        }

        private String table(TablePlan t) {
            return MergeApply.info(side, t).name().quoted();
        }

        private static String keys(int i) {
            return "archon_sync_check_" + i + "_keys";
        }

        private static String rows(int i) {
            return "archon_sync_check_" + i + "_rows";
        }

        private static String otherKeys(int i) {
            return "archon_sync_check_" + i + "_carried";
        }

        /** The keys written on this side, and the other side's versions of the rows carried here. */
        private void stage(MergeScan.Entry e, int i) throws SQLException, IOException {
            TablePlan t = e.plan;
            staged.put(t.name(), i);
            KeyedTable selfKeyed = keyed(t);
            KeyFiles files = e.keys(side);
            Sql.execute(self, selfKeyed.createKeyTableSql(keys(i)));
            try (InputStream in = files.open(ChangeKind.INSERT, ChangeKind.UPDATE, ChangeKind.DELETE)) {
                manager(self).copyIn(selfKeyed.copyKeysInSql(keys(i)), in);
            }
            long written = files.count(ChangeKind.INSERT) + files.count(ChangeKind.UPDATE) + files.count(ChangeKind.DELETE);
            if (written > ANALYZE_ABOVE) {
                Sql.execute(self, "ANALYZE " + keys(i));
            }
            List<String> columns = constraints.columnsRead(t, selfKeyed.keyColumns());
            String list = columns.stream().map(Sql::ident).collect(Collectors.joining(", "));
            Sql.execute(self, "CREATE TEMP TABLE " + rows(i) + " ON COMMIT DROP AS SELECT " + list + " FROM ONLY " + table(t)
                    + " WITH NO DATA");
            boolean any = files.count(ChangeKind.INSERT) + files.count(ChangeKind.UPDATE) > 0;
            carried.put(t.name(), any);
            if (!any) {
                return;
            }
            KeyedTable otherKeyed = new KeyedTable(MergeApply.info(side.other(), t), t.binary());
            Sql.execute(other, otherKeyed.createKeyTableSql(otherKeys(i)));
            try (InputStream in = files.open(ChangeKind.INSERT, ChangeKind.UPDATE)) {
                manager(other).copyIn(otherKeyed.copyKeysInSql(otherKeys(i)), in);
            }
            CopyOut out = manager(other).copyOut("COPY (SELECT " + columns.stream().map(c -> "t." + Sql.ident(c))
                    .collect(Collectors.joining(", ")) + " FROM ONLY " + MergeApply.info(side.other(), t).name().quoted()
                    + " AS t JOIN " + otherKeys(i) + " AS k ON " + otherKeyed.keyJoin("t", "k") + ") TO STDOUT");
            CopyIn in;
            try {
                in = manager(self).copyIn("COPY " + rows(i) + " (" + list + ") FROM STDIN");
            } catch (SQLException ex) {
                out.cancelCopy();
                throw ex;
            }
            try {
                CopyPump.pump(out, (chunk, length) -> in.writeToCopy(chunk, 0, length), new AtomicLong(), null);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
            if (written > ANALYZE_ABOVE) {
                Sql.execute(self, "ANALYZE " + rows(i));
            }
        }

        /** Carried rows holding a unique value that a row this side keeps holds too. */
        private void unique(TablePlan t, MergeConstraints.Unique u, Map<String, Collision> out) throws SQLException, IOException {
            int i = staged.get(t.name());
            KeyedTable k = keyed(t);
            int width = k.keyColumns().size();
            String sql = "COPY (SELECT " + k.keySelect("u") + ", " + k.keySelect("t") + ", "
                    + u.columns().stream().map(c -> "u." + Sql.ident(c) + "::text").collect(Collectors.joining(", "))
                    + " FROM " + rows(i) + " AS u JOIN ONLY " + table(t) + " AS t ON " + same(u.columns(), "t", "u")
                    + " WHERE NOT (" + k.sameKey("t", "u") + ") AND NOT EXISTS (SELECT 1 FROM " + keys(i) + " AS k WHERE "
                    + k.keyJoin("t", "k") + ") LIMIT " + MAX_LISTED + ") TO STDOUT";
            for (String[] f : copyOut(self, sql)) {
                HashedRow carriedKey = new HashedRow(Arrays.copyOfRange(f, 0, width), "");
                HashedRow keptKey = new HashedRow(Arrays.copyOfRange(f, width, 2 * width), "");
                List<String> values = Arrays.stream(f, 2 * width, f.length).map(CopyText::unescape).toList();
                Collision c = side == Side.REMOTE ? new Collision(t, u.name(), u.columns(), values, carriedKey, keptKey)
                        : new Collision(t, u.name(), u.columns(), values, keptKey, carriedKey);
                out.putIfAbsent(c.id(), c);
            }
        }

        /** Carried rows whose foreign key finds no parent in this side's result. */
        private List<String> carriedChildren(MergeConstraints.Reference r) throws SQLException {
            int c = staged.get(r.child().name());
            String sql = "SELECT " + describeKey(r.child(), "c") + ", " + values(r.columns(), "c") + " FROM " + rows(c) + " AS c WHERE "
                    + r.columns().stream().map(col -> "c." + Sql.ident(col) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                    + " AND NOT (" + parentExists(r, "c", r.columns()) + ") LIMIT " + MAX_LISTED;
            List<String> out = new ArrayList<>();
            for (String[] row : query(sql)) {
                out.add(r.child().name() + " " + row[0] + ", carried to the " + MergeApply.label(side) + " database, references "
                        + r.parent().name() + " (" + String.join(", ", r.referenced()) + ") = (" + row[1] + "), which the "
                        + MergeApply.label(side) + " database would not hold after the merge (foreign key " + r.name() + ")");
            }
            return out;
        }

        /** Rows this side keeps whose parent the merge deletes or changes away here. */
        private List<String> strandedChildren(MergeConstraints.Reference r) throws SQLException {
            int p = staged.get(r.parent().name());
            KeyedTable parent = keyed(r.parent());
            Integer c = staged.get(r.child().name());
            String sql = "SELECT " + describeKey(r.child(), "c") + ", " + values(r.columns(), "c") + " FROM ONLY " + table(r.child())
                    + " AS c JOIN (SELECT DISTINCT " + r.referenced().stream().map(col -> "p." + Sql.ident(col))
                    .collect(Collectors.joining(", ")) + " FROM ONLY " + table(r.parent()) + " AS p JOIN " + keys(p) + " AS k ON "
                    + parent.keyJoin("p", "k") + ") AS d ON " + join(r.columns(), "c", r.referenced(), "d") + " WHERE "
                    + (c == null ? "" : "NOT EXISTS (SELECT 1 FROM " + keys(c) + " AS k WHERE " + keyed(r.child()).keyJoin("c", "k")
                    + ") AND ") + "NOT (" + parentExists(r, "d", r.referenced()) + ") LIMIT " + MAX_LISTED;
            List<String> out = new ArrayList<>();
            for (String[] row : query(sql)) {
                out.add(r.child().name() + " " + row[0] + " on the " + MergeApply.label(side) + " database references "
                        + r.parent().name() + " (" + String.join(", ", r.referenced()) + ") = (" + row[1] + "), which the merge"
                        + " removes there (foreign key " + r.name() + ")");
            }
            return out;
        }

        /** Whether this side's result holds a parent row for the values {@code alias.columns}. */
        private String parentExists(MergeConstraints.Reference r, String alias, List<String> columns) {
            Integer p = staged.get(r.parent().name());
            String kept = "EXISTS (SELECT 1 FROM ONLY " + table(r.parent()) + " AS p WHERE " + join(r.referenced(), "p", columns, alias)
                    + (p == null ? "" : " AND NOT EXISTS (SELECT 1 FROM " + keys(p) + " AS k WHERE "
                    + keyed(r.parent()).keyJoin("p", "k") + ")") + ")";
            if (p == null || !carried.getOrDefault(r.parent().name(), false)) {
                return kept;
            }
            return kept + " OR EXISTS (SELECT 1 FROM " + rows(p) + " AS p WHERE " + join(r.referenced(), "p", columns, alias) + ")";
        }

        private String describeKey(TablePlan t, String alias) {
            return "concat_ws(', ', " + keyed(t).keyColumns().stream().map(col -> Sql.literal(col + "=") + " || " + alias + "."
                    + Sql.ident(col) + "::text").collect(Collectors.joining(", ")) + ")";
        }

        private List<String[]> query(String sql) throws SQLException {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement s = self.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            return out;
        }
    }

    private static String same(List<String> columns, String a, String b) {
        return join(columns, a, columns, b);
    }

    private static String join(List<String> left, String a, List<String> right, String b) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < left.size(); i++) {
            parts.add(a + "." + Sql.ident(left.get(i)) + " = " + b + "." + Sql.ident(right.get(i)));
        }
        return String.join(" AND ", parts);
    }

    private static String values(List<String> columns, String alias) {
        return "concat_ws(', ', " + columns.stream().map(c -> alias + "." + Sql.ident(c) + "::text").collect(Collectors.joining(", "))
                + ")";
    }

    private static List<String[]> copyOut(Connection c, String sql) throws SQLException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        manager(c).copyOut(sql, out);
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.stream(text.split("\n")).map(l -> l.split("\t", -1)).toList();
    }

    private static CopyManager manager(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }
}
