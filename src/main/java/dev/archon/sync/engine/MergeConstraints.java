package dev.archon.sync.engine;

import dev.archon.sync.delta.Side;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The constraints of one side's merged tables that a merged result must satisfy besides its
 * primary keys: every UNIQUE index over plain columns without a predicate (other than the merge
 * key), and every foreign key between two merged tables. Read once per side from the catalog.
 *
 * @param uniques per table name, its unique keys
 * @param foreignKeys the foreign keys whose both ends are merged
 */
record MergeConstraints(Map<String, List<Unique>> uniques, List<Reference> foreignKeys) {
    /** A UNIQUE index: its name and columns. */
    record Unique(String name, List<String> columns) {
    }

    /**
     * A foreign key: the referencing table and columns, the referenced table and columns.
     *
     * @param onUpdateCascade whether it is declared ON UPDATE CASCADE (a moved parent key carries its children along)
     */
    record Reference(String name, TablePlan child, List<String> columns, TablePlan parent, List<String> referenced,
                     boolean onUpdateCascade) {
    }

    private static final String TABLES = "WITH t(name, n) AS (SELECT * FROM unnest(?::text[]) WITH ORDINALITY)";
    private static final String UNIQUES = TABLES + " SELECT t.n, ic.relname, array_agg(a.attname::text ORDER BY k.n)::text[]"
            + " FROM t JOIN pg_index i ON i.indrelid = t.name::regclass JOIN pg_class ic ON ic.oid = i.indexrelid"
            + " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)"
            + " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
            + " WHERE i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL"
            + " GROUP BY t.n, ic.relname HAVING bool_and(k.attnum > 0) ORDER BY t.n, ic.relname";
    private static final String FOREIGN_KEYS = TABLES + " SELECT ch.n, pa.n, con.conname, con.confupdtype::text,"
            + " ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)"
            + "   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n),"
            + " ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, n)"
            + "   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n)"
            + " FROM pg_constraint con JOIN t ch ON con.conrelid = ch.name::regclass JOIN t pa ON con.confrelid = pa.name::regclass"
            + " WHERE con.contype = 'f' ORDER BY ch.n, con.conname";

    /** Two catalog queries on {@code c}, whatever the number of tables. */
    static MergeConstraints read(Connection c, Side side, List<TablePlan> tables) throws SQLException {
        Map<String, List<Unique>> uniques = new LinkedHashMap<>();
        tables.forEach(t -> uniques.put(t.name(), new ArrayList<>()));
        List<Reference> fks = new ArrayList<>();
        Array names = c.createArrayOf("text", tables.stream().map(t -> MergeApply.info(side, t).name().quoted()).toArray());
        try (PreparedStatement s = c.prepareStatement(UNIQUES)) {
            s.setArray(1, names);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    TablePlan t = tables.get(rs.getInt(1) - 1);
                    List<String> cols = strings(rs.getArray(3));
                    if (!cols.equals(MergeApply.info(side, t).key())) {
                        uniques.get(t.name()).add(new Unique(rs.getString(2), cols));
                    }
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(FOREIGN_KEYS)) {
            s.setArray(1, names);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    fks.add(new Reference(rs.getString(3), tables.get(rs.getInt(1) - 1), strings(rs.getArray(5)),
                            tables.get(rs.getInt(2) - 1), strings(rs.getArray(6)), "c".equals(rs.getString(4))));
                }
            }
        }
        uniques.replaceAll((k, v) -> List.copyOf(v));
        return new MergeConstraints(uniques, List.copyOf(fks));
    }

    List<Unique> uniques(TablePlan t) {
        return uniques.getOrDefault(t.name(), List.of());
    }

    /** Whether any checked constraint involves {@code t} (a table with none is not read by the check). */
    boolean concerns(TablePlan t) {
        return !uniques(t).isEmpty() || foreignKeys.stream().anyMatch(r -> r.child().name().equals(t.name())
                || r.parent().name().equals(t.name()));
    }

    /** Whether a checked foreign key references {@code t}. */
    boolean referenced(TablePlan t) {
        return foreignKeys.stream().anyMatch(r -> r.parent().name().equals(t.name()));
    }

    /** The columns of {@code t} the checks read: its key, unique columns and both ends of its foreign keys. */
    List<String> columnsRead(TablePlan t, List<String> key) {
        java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>(key);
        uniques(t).forEach(u -> cols.addAll(u.columns()));
        for (Reference r : foreignKeys) {
            if (r.child().name().equals(t.name())) {
                cols.addAll(r.columns());
            }
            if (r.parent().name().equals(t.name())) {
                cols.addAll(r.referenced());
            }
        }
        return List.copyOf(cols);
    }

    private static List<String> strings(Array a) throws SQLException {
        return Arrays.asList((String[]) a.getArray());
    }
}
