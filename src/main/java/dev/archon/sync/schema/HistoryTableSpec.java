package dev.archon.sync.schema;

import java.util.List;

/** The exact shape of archon_sync_history (migration 0.3.0/021), as the specification lists it. */
final class HistoryTableSpec {
    /** A column: its type as format_type prints it, NOT NULL, and a fragment its default must contain. */
    record Column(String name, String type, boolean notNull, String defaultFragment) {
    }

    static final String TABLE = "archon_sync_history";

    static final List<Column> COLUMNS = List.of(
            new Column("id", "uuid", true, "gen_random_uuid()"),
            new Column("sync_id", "text", true, null),
            new Column("direction", "text", true, null),
            new Column("status", "text", true, null),
            new Column("started_at", "timestamp with time zone", true, "now()"),
            new Column("completed_at", "timestamp with time zone", false, null),
            new Column("duration_seconds", "integer", false, null),
            new Column("total_rows", "integer", false, null),
            new Column("synced_rows", "integer", false, null),
            new Column("current_table", "text", false, null),
            new Column("current_phase", "text", false, null),
            new Column("percent_complete", "integer", false, "0"),
            new Column("tables_synced", "jsonb", false, "'[]'"),
            new Column("verification_results", "jsonb", false, "'{}'"),
            new Column("error_message", "text", false, null),
            new Column("error_details", "jsonb", false, "'{}'"),
            new Column("export_size_mb", "numeric(10,2)", false, null),
            new Column("import_duration_seconds", "integer", false, null),
            new Column("export_duration_seconds", "integer", false, null),
            new Column("indexing_duration_seconds", "integer", false, null),
            new Column("triggered_by", "text", false, "'User'"),
            new Column("backup_file_path", "text", false, null),
            new Column("source_db", "text", false, null),
            new Column("target_db", "text", false, null),
            new Column("metadata", "jsonb", false, "'{}'"),
            new Column("created_at", "timestamp with time zone", true, "now()"),
            new Column("updated_at", "timestamp with time zone", true, "now()"));

    static final List<String> INDEXES = List.of("idx_sync_history_started", "idx_sync_history_status",
            "idx_sync_history_direction", "idx_sync_history_triggered_by", "idx_sync_history_metadata",
            "archon_sync_history_pkey", "archon_sync_history_sync_id_key");

    static final List<String> CHECKS = List.of("archon_sync_history_direction_check",
            "archon_sync_history_status_check", "archon_sync_history_percent_complete_check");

    static final List<String> POLICIES = List.of("Service role has full access to sync history",
            "Authenticated users can view sync history");

    /** Function signatures as regprocedure prints them. */
    static final List<String> FUNCTIONS = List.of("get_latest_sync(text)", "get_sync_stats(integer)");

    static final String TRIGGER = "trigger_sync_history_updated_at";
    static final String TRIGGER_FUNCTION = "update_sync_history_updated_at";

    private HistoryTableSpec() {
    }
}
