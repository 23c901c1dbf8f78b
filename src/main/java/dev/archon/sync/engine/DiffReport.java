package dev.archon.sync.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A read-only preview of a one-way changes-only sync: per table, rows to insert, update and delete.
 *
 * @param direction the direction compared
 * @param tables    per table, in load order
 */
public record DiffReport(Direction direction, List<Table> tables) {
    /** At most this many example keys per kind and table. */
    public static final int MAX_EXAMPLES = 100;

    public DiffReport {
        tables = List.copyOf(tables);
    }

    public long inserts() {
        return tables.stream().mapToLong(Table::inserts).sum();
    }

    public long updates() {
        return tables.stream().mapToLong(Table::updates).sum();
    }

    public long deletes() {
        return tables.stream().mapToLong(Table::deletes).sum();
    }

    /**
     * One table's difference.
     *
     * @param table     "public.archon_crawled_pages"
     * @param inserts   rows only the source has (for a table without key: every source row)
     * @param updates   rows both have with different content
     * @param deletes   rows only the target has (for a table without key: every target row)
     * @param unchanged rows equal on both
     * @param full      why the table would be copied in full (no key), or null
     * @param sensitive whether the table holds secrets (examples then name columns, never values)
     * @param examples  example keys per kind ("insert", "update", "delete"); empty unless asked for
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Table(String table, long inserts, long updates, long deletes, long unchanged, String full,
                        @JsonProperty("sensitive") boolean sensitive, Map<String, List<Example>> examples) {
        public Table {
            examples = Map.copyOf(examples);
        }
    }

    /**
     * One example key; for an update, the columns that differ with both values shortened.
     *
     * @param key     the key's values, by column
     * @param columns per differing column: {"column", "source", "target"} (values absent for secret tables)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Example(Map<String, String> key, List<Map<String, String>> columns) {
        public Example {
            key = Map.copyOf(key);
            columns = List.copyOf(columns);
        }
    }
}
