package dev.archon.sync.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns history rows into maps (jsonb parsed, timestamps in UTC) and orders them like the SQL does. */
final class HistoryRows {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HistoryRows() {
    }

    /** The current row as column name to value, plus "database" naming where it was read. */
    static Map<String, Object> read(ResultSet rs, String database) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i), value(rs, i, md.getColumnTypeName(i)));
        }
        row.put("database", database);
        operation(row);
        return row;
    }

    /**
     * Adds "operation" ("sync", "restore" or "undo", from metadata.operation; rows of older versions
     * said "full-sync") and, for an undo, "undone_sync_id".
     */
    static void operation(Map<String, Object> row) {
        Object metadata = row.get("metadata");
        String op = "sync";
        String undone = null;
        if (metadata instanceof com.fasterxml.jackson.databind.JsonNode m) {
            String recorded = m.path("operation").asText("");
            if (recorded.equals("restore") || recorded.equals("undo")) {
                op = recorded;
            }
            undone = m.hasNonNull("undone_sync_id") ? m.get("undone_sync_id").asText() : null;
        }
        row.put("operation", op);
        row.put("undone_sync_id", undone);
    }

    private static Object value(ResultSet rs, int i, String type) throws SQLException {
        switch (type) {
            case "jsonb", "json" -> {
                String text = rs.getString(i);
                if (text == null) {
                    return null;
                }
                try {
                    return MAPPER.readTree(text);
                } catch (JsonProcessingException e) {
                    return TextNode.valueOf(text);
                }
            }
            case "timestamptz", "timestamp" -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
            }
            case "uuid" -> {
                return rs.getString(i);
            }
            default -> {
                return rs.getObject(i);
            }
        }
    }

    /**
     * The order of {@code ORDER BY column [ASC|DESC] NULLS LAST, started_at DESC, sync_id}, with text
     * compared as COLLATE "C" does, so rows of two databases merge into the order each gave.
     */
    static Comparator<Map<String, Object>> order(String column, boolean ascending) {
        Comparator<Map<String, Object>> primary = (a, b) -> compareNullsLast(a.get(column), b.get(column), ascending);
        Comparator<Map<String, Object>> started = (a, b) -> compareNullsLast(a.get("started_at"), b.get("started_at"), false);
        Comparator<Map<String, Object>> id = (a, b) -> compareNullsLast(a.get("sync_id"), b.get("sync_id"), true);
        return primary.thenComparing(started).thenComparing(id);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareNullsLast(Object a, Object b, boolean ascending) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        int c = ((Comparable) a).compareTo(b);
        return ascending ? c : -c;
    }
}
