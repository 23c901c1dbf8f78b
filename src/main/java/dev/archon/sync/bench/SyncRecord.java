package dev.archon.sync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what {@code archon-sync sync --json} printed: the {@code metrics} object of the final
 * record, flattened ({@code phases.copy_seconds}), and per table of {@code tables} (the history
 * row's {@code tables_synced}) its
 * mode, statements (round trips), bytes and rows, as {@code table.<name>.<field>}.
 */
final class SyncRecord {
    static final String TABLE_PREFIX = "table.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncRecord() {
    }

    /** The flattened metrics and per-table figures (empty when absent or unreadable). */
    static Map<String, Object> metrics(String stdout) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode root = parse(stdout);
        if (root == null) {
            return out;
        }
        JsonNode metrics = root.has("metrics") ? root.get("metrics") : root.findValue("metrics");
        if (metrics != null) {
            flatten("", metrics, out);
        }
        JsonNode tables = root.has("tables") ? root.get("tables") : root.findValue("tables_synced");
        if (tables != null && tables.isTextual()) {
            tables = parse(tables.asText());
        }
        if (tables != null && tables.isArray()) {
            for (JsonNode t : tables) {
                String name = t.path("table_name").asText(t.path("table").asText("?"));
                if (t.path("mode").asText("").startsWith("to-")) {
                    name += " (" + t.path("mode").asText() + ")"; // a merge writes a table on each side
                }
                for (String field : new String[] {"mode", "statements", "bytes", "row_count"}) {
                    JsonNode v = t.get(field);
                    if (v != null && !v.isNull()) {
                        out.put(TABLE_PREFIX + name + "." + field, v.isNumber() ? v.doubleValue() : v.asText());
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode parse(String text) {
        int from = text.indexOf('{');
        int fromArray = text.indexOf('[');
        if (fromArray >= 0 && (from < 0 || fromArray < from) && text.strip().startsWith("[")) {
            from = fromArray;
        }
        int to = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
        if (from < 0 || to < from) {
            return null;
        }
        try {
            return JSON.readTree(text.substring(from, to + 1));
        } catch (IOException e) {
            return null;
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isNumber()) {
            out.put(prefix, node.doubleValue());
        } else if (!node.isNull() && !node.isArray()) {
            out.put(prefix, node.asText());
        }
    }
}
