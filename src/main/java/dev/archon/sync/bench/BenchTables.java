package dev.archon.sync.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tables every contender copies: archon-sync's default set (every {@code archon_*} table but
 * archon_sync_history, archon_migrations and the two ephemeral MCP tables), in foreign-key (load)
 * order. Nothing outside the set references a table of the set, so they can be emptied together
 * without CASCADE.
 */
final class BenchTables {
    static final List<String> LOAD_ORDER = List.of(
            "archon_settings", "archon_sources", "archon_projects", "archon_prompts", "archon_llm_pricing",
            "archon_page_metadata", "archon_code_examples", "archon_tasks", "archon_project_sources",
            "archon_crawled_pages", "archon_task_history", "archon_document_versions");
    private static final String SHAPE = "SELECT a.attname, a.attgenerated <> '' AS generated,"
            + " coalesce(a.attnum = ANY (i.indkey::int2[]), false) AS key, format_type(a.atttypid, a.atttypmod)"
            + " FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary"
            + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

    private BenchTables() {
    }

    /** {@code public.a, public.b, ...}: for TRUNCATE, ANALYZE and size queries. */
    static String qualifiedList() {
        return LOAD_ORDER.stream().map(t -> "public." + t).collect(Collectors.joining(", "));
    }

    /** Empties the set in one statement (no CASCADE: it would empty tables nobody asked for). */
    static String truncateSql() {
        return "TRUNCATE " + qualifiedList();
    }

    /**
     * A table's primary key (one column in every table of the set) and its stored columns.
     *
     * @param key     the primary key column
     * @param keyType its SQL type ({@code uuid}, {@code bigint}, {@code text})
     * @param columns the columns a row is written with (generated columns excluded), in table order
     */
    record Shape(String table, String key, String keyType, List<String> columns) {
        String columnList() {
            return String.join(", ", columns);
        }
    }

    /** The shape of every table of the set, in load order. */
    static Map<String, Shape> shapes(Connection c) throws SQLException {
        Map<String, Shape> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SHAPE)) {
            for (String t : LOAD_ORDER) {
                ps.setString(1, "public." + t);
                String key = null;
                String type = null;
                List<String> columns = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getBoolean(3)) {
                            key = rs.getString(1);
                            type = rs.getString(4);
                        }
                        if (!rs.getBoolean(2)) {
                            columns.add(rs.getString(1));
                        }
                    }
                }
                out.put(t, new Shape(t, key, type, List.copyOf(columns)));
            }
        }
        return out;
    }
}
