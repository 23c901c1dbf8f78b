package dev.archon.sync.engine;

import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.CopyText;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.delta.KeyedTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * Reads a few rows of one side by key (the conflicting ones only): their {@code updated_at}, or
 * their columns as text to show what differs. One temporary key table and one COPY per call.
 */
final class ConflictRows {
    private static final String KEYS = "archon_sync_conflict_keys";

    private ConflictRows() {
    }

    /** keyLine to updated_at (absent: no such row, or a NULL value). */
    static Map<String, Instant> updatedAt(Connection c, KeyedTable table, List<HashedRow> keys) throws SQLException, IOException {
        Map<String, Instant> out = new HashMap<>();
        for (String[] f : select(c, table, keys, "(extract(epoch FROM t.updated_at) * 1000000)::bigint",
                " WHERE t.updated_at IS NOT NULL")) {
            long micros = Long.parseLong(f[f.length - 1]);
            out.put(keyLine(f, 1), Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L));
        }
        return out;
    }

    /** keyLine to (column to value as text, null for NULL). */
    static Map<String, Map<String, String>> columns(Connection c, KeyedTable table, List<HashedRow> keys)
            throws SQLException, IOException {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (String[] f : select(c, table, keys, "j.key, j.value", " CROSS JOIN LATERAL jsonb_each_text(to_jsonb(t)) AS j")) {
            out.computeIfAbsent(keyLine(f, 2), k -> new TreeMap<>()).put(CopyText.unescape(f[f.length - 2]),
                    CopyText.unescape(f[f.length - 1]));
        }
        return out;
    }

    private static String keyLine(String[] fields, int trailing) {
        return String.join("\t", Arrays.copyOf(fields, fields.length - trailing));
    }

    private static List<String[]> select(Connection c, KeyedTable table, List<HashedRow> keys, String columns, String tail)
            throws SQLException, IOException {
        Sql.execute(c, "DROP TABLE IF EXISTS pg_temp." + KEYS);
        Sql.execute(c, table.createKeyTableSql(KEYS));
        byte[] lines = keys.stream().map(k -> k.keyLine() + "\n").collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8);
        PGConnection pg = c.unwrap(PGConnection.class);
        pg.getCopyAPI().copyIn(table.copyKeysInSql(KEYS), new ByteArrayInputStream(lines));
        int width = table.keyColumns().size();
        String keyFields = java.util.stream.IntStream.range(0, width).mapToObj(i -> "k.k" + i).collect(Collectors.joining(", "));
        String from = " FROM ONLY " + table.table().name().quoted() + " AS t JOIN " + KEYS + " AS k ON " + table.keyJoin("t", "k");
        String sql = "COPY (SELECT " + keyFields + ", " + columns + from + tail + ") TO STDOUT";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TableCopier.copyOut(c, sql, out);
        Sql.execute(c, "DROP TABLE " + KEYS);
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.stream(text.split("\n")).map(l -> l.split("\t", -1)).toList();
    }
}
