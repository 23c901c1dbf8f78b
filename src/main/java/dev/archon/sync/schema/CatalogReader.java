package dev.archon.sync.schema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the tables of one schema from the catalogs: columns, foreign keys, secondary indexes,
 * owned sequences, user triggers, sizes and whether the connecting role may read them unfiltered.
 * A handful of queries whatever the number of tables.
 */
public final class CatalogReader {
    private static final String TABLES = """
            SELECT c.oid, n.nspname, c.relname, greatest(c.reltuples, 0)::bigint,
                   -- pg_total_relation_size waits for a table's ACCESS EXCLUSIVE lock (held or queued, e.g. by a
                   -- running sync): then the catalog's estimate answers at once instead
                   CASE WHEN EXISTS (SELECT 1 FROM pg_locks l WHERE l.relation = c.oid AND l.mode = 'AccessExclusiveLock'
                                     AND l.pid <> pg_backend_pid())
                        THEN c.relpages::bigint * current_setting('block_size')::bigint
                        ELSE pg_total_relation_size(c.oid) END,
                   pg_has_role(c.relowner, 'USAGE'),
                   NOT c.relrowsecurity OR (pg_has_role(c.relowner, 'USAGE') AND NOT c.relforcerowsecurity)
                       OR r.rolbypassrls OR r.rolsuper
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN (SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user) r
            WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            """;
    private static final String COLUMNS = """
            SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, a.attnotnull,
                   a.attgenerated = 's', a.attidentity <> '',
                   CASE WHEN bt.oid < 16384 THEN true
                        WHEN bt.typcategory = 'A' THEN bt.typelem < 16384
                        WHEN bt.typtype = 'c' THEN false
                        ELSE bt.typsend <> 0 AND bt.typreceive <> 0 END
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            WHERE a.attrelid = ANY (?) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """;
    private static final String FOREIGN_KEYS = """
            SELECT con.conname, n1.nspname, c1.relname, n2.nspname, c2.relname, con.confdeltype,
                   pg_get_constraintdef(con.oid)
            FROM pg_constraint con
            JOIN pg_class c1 ON c1.oid = con.conrelid JOIN pg_namespace n1 ON n1.oid = c1.relnamespace
            JOIN pg_class c2 ON c2.oid = con.confrelid JOIN pg_namespace n2 ON n2.oid = c2.relnamespace
            WHERE con.contype = 'f' AND (con.conrelid = ANY (?) OR con.confrelid = ANY (?))
            ORDER BY con.conname
            """;
    private static final String INDEXES = """
            SELECT i.indrelid, ic.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = ANY (?)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = i.indexrelid AND d.deptype = 'i')
            ORDER BY ic.relname
            """;
    private static final String SEQUENCES = """
            SELECT d.refobjid, a.attname, quote_ident(sn.nspname) || '.' || quote_ident(s.relname)
            FROM pg_depend d
            JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            JOIN pg_namespace sn ON sn.oid = s.relnamespace
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_class'::regclass AND d.refobjid = ANY (?) AND d.deptype IN ('a', 'i')
            ORDER BY 3
            """;
    /** Primary key first, then unique indexes over NOT NULL plain columns, narrowest first. */
    private static final String KEYS = """
            SELECT i.indrelid, array_agg(a.attname ORDER BY k.ord)::text[]
            FROM pg_index i
            CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = ANY (?) AND i.indisunique AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL
            GROUP BY i.indrelid, i.indexrelid, i.indisprimary
            HAVING bool_and(a.attnotnull AND a.attgenerated = '')
            ORDER BY i.indrelid, i.indisprimary DESC, count(*), i.indexrelid
            """;
    private static final String TRIGGERS = "SELECT DISTINCT tgrelid FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY (?)";

    private CatalogReader() {
    }

    /** Every table of {@code schema}, by name, sorted. */
    public static Map<TableName, TableInfo> read(Connection c, String schema) throws SQLException {
        Map<Long, TableInfo.Builder> byOid = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(TABLES)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byOid.put(rs.getLong(1), new TableInfo.Builder(new TableName(rs.getString(2), rs.getString(3)),
                            rs.getLong(4), rs.getLong(5), rs.getBoolean(6), rs.getBoolean(7)));
                }
            }
        }
        Array oids = c.createArrayOf("oid", byOid.keySet().toArray());
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byOid.get(rs.getLong(1)).columns.add(new Column(rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8)));
                }
            }
        }
        Map<TableName, TableInfo.Builder> byName = new HashMap<>();
        byOid.values().forEach(b -> byName.put(b.name, b));
        try (PreparedStatement ps = c.prepareStatement(FOREIGN_KEYS)) {
            ps.setArray(1, oids);
            ps.setArray(2, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ForeignKey fk = new ForeignKey(rs.getString(1), new TableName(rs.getString(2), rs.getString(3)),
                            new TableName(rs.getString(4), rs.getString(5)), rs.getString(6).charAt(0), rs.getString(7));
                    TableInfo.Builder owner = byName.get(fk.table());
                    if (owner != null) {
                        owner.foreignKeys.add(fk);
                    }
                    TableInfo.Builder target = byName.get(fk.referenced());
                    if (target != null && owner == null) {
                        target.referencedBy.add(fk);
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INDEXES)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byOid.get(rs.getLong(1)).indexes.add(new SecondaryIndex(rs.getString(2), rs.getString(3)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(SEQUENCES)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byOid.get(rs.getLong(1)).sequences.add(new SequenceLink(rs.getString(2), rs.getString(3)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(TRIGGERS)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byOid.get(rs.getLong(1)).userTriggers = true;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(KEYS)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableInfo.Builder b = byOid.get(rs.getLong(1));
                    if (b.key.isEmpty()) {
                        b.key = List.of((String[]) rs.getArray(2).getArray());
                    }
                }
            }
        }
        Map<TableName, TableInfo> out = new TreeMap<>();
        byOid.values().forEach(b -> out.put(b.name, b.build()));
        return out;
    }

    /** Extensions that own a type used by the given tables' columns. */
    public static List<String> extensionsUsed(Connection c, List<TableInfo> tables) throws SQLException {
        List<Long> typeOids = new ArrayList<>();
        tables.forEach(t -> t.columns().forEach(col -> typeOids.add(col.typeOid())));
        String sql = """
                SELECT DISTINCT e.extname FROM pg_type t
                JOIN pg_depend d ON d.classid = 'pg_type'::regclass
                    AND d.objid = CASE WHEN t.typelem <> 0 AND t.typcategory = 'A' THEN t.typelem ELSE t.oid END
                    AND d.deptype = 'e'
                JOIN pg_extension e ON e.oid = d.refobjid
                WHERE t.oid = ANY (?) ORDER BY 1
                """;
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("oid", typeOids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The labels of every enum type used by the given tables' columns, by type name. */
    public static Map<String, List<String>> enumsUsed(Connection c, List<TableInfo> tables) throws SQLException {
        List<Long> typeOids = new ArrayList<>();
        tables.forEach(t -> t.columns().forEach(col -> typeOids.add(col.typeOid())));
        String sql = """
                SELECT format_type(et.oid, NULL), array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[]
                FROM pg_type t
                JOIN pg_type et ON et.oid = CASE WHEN t.typelem <> 0 AND t.typcategory = 'A' THEN t.typelem ELSE t.oid END
                JOIN pg_enum e ON e.enumtypid = et.oid
                WHERE t.oid = ANY (?) GROUP BY et.oid
                """;
        Map<String, List<String>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("oid", typeOids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        return out;
    }

    /** Labels of the named enum types on this server; a type that does not exist is absent. */
    public static Map<String, List<String>> enumLabels(Connection c, List<String> typeNames) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        for (String name : typeNames) {
            try (PreparedStatement ps = c.prepareStatement("SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[]"
                    + " FROM pg_enum e WHERE e.enumtypid = to_regtype(?)")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getArray(1) != null) {
                        out.put(name, List.of((String[]) rs.getArray(1).getArray()));
                    }
                }
            }
        }
        return out;
    }
}
