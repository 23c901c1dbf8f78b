package dev.archon.sync.history;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.KeyKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;

/**
 * The base of bidirectional syncs in one database (migration {@code archon-sync/002_sync_base}):
 * per pair of databases and table, the md5 of each key's row at the end of the last completed
 * merge. Streams are COPY text lines "key fields..., hash" in {@link dev.archon.sync.delta.KeyOrder}.
 * Stateless; every method works in the caller's connection and transaction.
 */
public final class BaseStore {
    private static final String MISSING = "the bidirectional base tables are missing on the %s database: run archon-sync migrate";

    /**
     * The cluster a base's row versions belong to: its system identifier and timeline (transaction
     * ids repeat in another cluster, after a point-in-time recovery or on a promoted standby).
     */
    private static final String CLUSTER = "(SELECT s.system_identifier::text || '/' || k.timeline_id"
            + " FROM pg_control_system() s, pg_control_checkpoint() k)";

    /** A table's base after {@link #replace}: the rows it holds, and how many base rows were deleted or inserted. */
    public record Replaced(long rows, long changed) {
    }

    /** Who wrote a table's base, and how many rows it holds. */
    public record Marker(String syncId, long rows, Instant madeAt) {
    }

    private BaseStore() {
    }

    public static boolean installed(Connection c) throws SQLException {
        return Sql.queryBoolean(c, "SELECT to_regclass('public.archon_sync_base') IS NOT NULL"
                + " AND to_regclass('public.archon_sync_identity') IS NOT NULL");
    }

    /** This database's identity; REFUSED when the migration has not run. */
    public static String identity(Connection c, String label) throws SQLException {
        if (!installed(c)) {
            throw new ArchonSyncException(ErrorCode.REFUSED, String.format(MISSING, label));
        }
        String id = Sql.queryString(c, "SELECT database_id::text FROM public.archon_sync_identity");
        if (id == null) {
            throw new ArchonSyncException(ErrorCode.REFUSED, "archon_sync_identity is empty on the " + label
                    + " database: run archon-sync migrate");
        }
        return id;
    }

    /** The pair's id; REFUSED for two databases sharing an identity (one restored from the other's dump). */
    public static String pairId(String localId, String remoteId) {
        if (localId.equals(remoteId)) {
            throw new ArchonSyncException(ErrorCode.REFUSED, "both databases carry the same archon_sync_identity ("
                    + localId + "), one was probably restored from the other's dump: on one of them run"
                    + " DELETE FROM archon_sync_identity, then archon-sync migrate");
        }
        return localId + "/" + remoteId;
    }

    public static Optional<Marker> marker(Connection c, String pairId, String table) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT sync_id, row_count, made_at FROM public.archon_sync_base_tables"
                + " WHERE pair_id = ? AND table_name = ?", pairId, table); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Marker(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()))
                    : Optional.empty();
        }
    }

    /** Writes the table's base rows to {@code out} in key order; returns the row count. Does not close {@code out}. */
    public static long copyOut(Connection c, String pairId, String table, List<KeyKind> kinds, OutputStream out)
            throws SQLException, IOException {
        return c.unwrap(PGConnection.class).getCopyAPI().copyOut(copySql(pairId, table, kinds), out);
    }

    /** The COPY ... TO STDOUT statement streaming the table's base in key order. */
    public static String copySql(String pairId, String table, List<KeyKind> kinds) {
        String fields = IntStream.range(0, kinds.size()).mapToObj(i -> "key_fields[" + (i + 1) + "]")
                .collect(Collectors.joining(", "));
        String order = IntStream.range(0, kinds.size()).mapToObj(i -> kinds.get(i) == KeyKind.INTEGER
                ? "key_fields[" + (i + 1) + "]::numeric" : "key_fields[" + (i + 1) + "] COLLATE \"C\"")
                .collect(Collectors.joining(", "));
        return "COPY (SELECT " + fields + ", row_hash FROM public.archon_sync_base WHERE pair_id = "
                + Sql.literal(pairId) + " AND table_name = " + Sql.literal(table) + " ORDER BY " + order + ") TO STDOUT";
    }

    /**
     * Replaces the table's base with {@code lines} (COPY text: {@code keyWidth} key fields, the hash,
     * then, when {@code withXmin}, the xmin of this database's row version it was computed from; any
     * order) and marks it as made by {@code syncId} under {@code hashForm}. Does not close {@code lines}.
     */
    public static Replaced replace(Connection c, String pairId, String table, int keyWidth, boolean withXmin, String hashForm,
                                   String syncId, InputStream lines) throws SQLException, IOException {
        return replace(c, pairId, table, keyWidth, withXmin, hashForm, syncId, lines, null, reusesHashes(c));
    }

    /**
     * As above; when {@code xminLines} is given ((key fields, xmin) lines of this database's rows, any
     * order) and {@code lines} carry no xmins, each key's xmin is taken from them. {@code cache}:
     * {@link #reusesHashes} of {@code c}, asked once for all the tables written.
     */
    public static Replaced replace(Connection c, String pairId, String table, int keyWidth, boolean withXmin, String hashForm,
                                   String syncId, InputStream lines, InputStream xminLines, boolean cache)
            throws SQLException, IOException {
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= keyWidth; i++) {
            cols.add("k" + i + " text");
        }
        Sql.execute(c, "DROP TABLE IF EXISTS pg_temp.archon_base_load");
        Sql.execute(c, "CREATE TEMP TABLE archon_base_load (" + String.join(", ", cols) + ", h text" + (withXmin ? ", x bigint" : "")
                + ")");
        long rows = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY archon_base_load FROM STDIN", lines);
        if (xminLines != null && !withXmin) {
            Sql.execute(c, "ALTER TABLE archon_base_load ADD COLUMN x bigint");
            Sql.execute(c, "DROP TABLE IF EXISTS pg_temp.archon_base_xmin");
            Sql.execute(c, "CREATE TEMP TABLE archon_base_xmin (" + String.join(", ", cols) + ", x bigint)");
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY archon_base_xmin FROM STDIN", xminLines);
            Sql.hashJoinsOnly(c);
            Sql.update(c, "UPDATE archon_base_load l SET x = m.x FROM archon_base_xmin m WHERE " + IntStream.rangeClosed(1, keyWidth)
                    .mapToObj(i -> "m.k" + i + " = l.k" + i).collect(Collectors.joining(" AND ")));
            Sql.allJoins(c);
            Sql.execute(c, "DROP TABLE archon_base_xmin");
            withXmin = true;
        }
        String array = IntStream.rangeClosed(1, keyWidth).mapToObj(i -> "l.k" + i).collect(Collectors.joining(", ", "ARRAY[", "]"));
        String xmin = withXmin ? "l.x" : "NULL::bigint";
        // only what changed is written: base rows whose key, hash (or row version) are not in the new lines go, missing ones come
        Sql.hashJoinsOnly(c);
        long changed = Sql.update(c, "DELETE FROM public.archon_sync_base b WHERE b.pair_id = ? AND b.table_name = ? AND NOT EXISTS (SELECT 1"
                + " FROM archon_base_load l WHERE " + array + " = b.key_fields AND l.h = b.row_hash"
                + (cache ? " AND " + xmin + " IS NOT DISTINCT FROM b.row_xmin" : "") + ")", pairId, table);
        changed += Sql.update(c, "INSERT INTO public.archon_sync_base (pair_id, table_name, key_fields, row_hash" + (cache ? ", row_xmin" : "")
                + ") SELECT ?, ?, " + array + ", l.h" + (cache ? ", " + xmin : "") + " FROM archon_base_load l WHERE NOT EXISTS"
                + " (SELECT 1 FROM public.archon_sync_base b WHERE b.pair_id = ? AND b.table_name = ? AND b.key_fields = " + array + ")",
                pairId, table, pairId, table);
        Sql.allJoins(c);
        Sql.update(c, "INSERT INTO public.archon_sync_base_tables (pair_id, table_name, sync_id, row_count, made_at"
                + (cache ? ", hash_form, base_txid, base_cluster" : "") + ") VALUES (?, ?, ?, ?, now()"
                + (cache ? ", ?, txid_current(), " + CLUSTER : "")
                + ") ON CONFLICT (pair_id, table_name) DO UPDATE SET sync_id = EXCLUDED.sync_id, row_count = EXCLUDED.row_count,"
                + " made_at = EXCLUDED.made_at" + (cache ? ", hash_form = EXCLUDED.hash_form, base_txid = EXCLUDED.base_txid,"
                + " base_cluster = EXCLUDED.base_cluster" : ""),
                cache ? new Object[] {pairId, table, syncId, rows, hashForm} : new Object[] {pairId, table, syncId, rows});
        Sql.execute(c, "DROP TABLE archon_base_load");
        return new Replaced(rows, changed);
    }

    /**
     * Refreshes the base's statistics after a write that changed at least a tenth of the rows it
     * wrote (a first base, a large sync), as autovacuum would, only sooner: the next run's plans
     * stay right. A smaller change leaves them to autovacuum (an ANALYZE samples the whole base).
     *
     * @return whether it analyzed
     */
    public static boolean analyzeAfter(Connection c, long rows, long changed) throws SQLException {
        if (changed * 10 < rows) {
            return false;
        }
        analyze(c);
        return true;
    }

    /** Refreshes the base's statistics (after writing it), which keep the next run's plans right. */
    public static void analyze(Connection c) throws SQLException {
        Sql.execute(c, "ANALYZE public.archon_sync_base");
    }

    /**
     * Whether the base also records row versions (migration {@code archon-sync/003_base_row_versions})
     * and this role may read the cluster's identity they are tied to.
     */
    public static boolean reusesHashes(Connection c) throws SQLException {
        return Sql.queryBoolean(c, "SELECT count(*) = 4 AND has_function_privilege('pg_control_system()', 'EXECUTE')"
                + " AND has_function_privilege('pg_control_checkpoint()', 'EXECUTE') FROM pg_attribute WHERE NOT attisdropped"
                + " AND ((attrelid = to_regclass('public.archon_sync_base') AND attname = 'row_xmin') OR (attrelid ="
                + " to_regclass('public.archon_sync_base_tables') AND attname IN ('hash_form', 'base_txid', 'base_cluster')))");
    }

    /**
     * Per table, the form of this database's base hashes of {@code pairId} that may stand in for
     * hashing the table's unchanged rows: written in this same cluster and timeline, since when this
     * database's transaction counter moved forward by less than 2^30 (so a 32-bit xmin cannot have
     * come round again; a counter that went back means a restored database). The caller compares
     * the form with its own. Needs {@link #reusesHashes}.
     */
    public static Map<String, String> reusableForms(Connection c, String pairId) throws SQLException {
        Map<String, String> forms = new HashMap<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT b.table_name, b.hash_form FROM public.archon_sync_base_tables b,"
                + " (SELECT txid_snapshot_xmax(txid_current_snapshot()) AS xmax) x WHERE b.pair_id = ? AND b.hash_form IS NOT NULL"
                + " AND x.xmax >= b.base_txid AND x.xmax - b.base_txid < 1073741824 AND b.base_cluster = " + CLUSTER, pairId); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                forms.put(rs.getString(1), rs.getString(2));
            }
        }
        return forms;
    }

    /**
     * Forgets the base of {@code tables} for every pair (a restore or an undo changed them outside a
     * merge). Does nothing where the base tables do not exist.
     */
    public static int invalidate(Connection c, Collection<String> tables) throws SQLException {
        if (!installed(c) || tables.isEmpty()) {
            return 0;
        }
        String[] names = tables.toArray(String[]::new);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM public.archon_sync_base_tables WHERE table_name = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", names));
            int n = ps.executeUpdate();
            try (PreparedStatement rows = c.prepareStatement("DELETE FROM public.archon_sync_base WHERE table_name = ANY (?)")) {
                rows.setArray(1, c.createArrayOf("text", names));
                rows.executeUpdate();
            }
            return n;
        }
    }
}
