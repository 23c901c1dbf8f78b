package dev.archon.sync.bench;

import java.util.List;
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
}
