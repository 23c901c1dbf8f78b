package dev.archon.sync.demo;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much data {@link ArchonDataset#generate} writes. Every count is derived from the number of
 * crawled pages in proportion to the largest real installation described (218,714 crawled pages,
 * ~6,400 rows elsewhere), with small floors so that tiny scales still exercise every table.
 *
 * @param crawledPages rows of archon_crawled_pages (the bulk of the data: text plus a 1536-float embedding)
 */
public record Scale(
        int crawledPages,
        int sources,
        int pageMetadata,
        int codeExamples,
        int projects,
        int tasks,
        int taskHistory,
        int documentVersions,
        int mcpSessions,
        int mcpRequests) {

    /** Crawled pages of the largest real Archon installation described. */
    public static final int ARCHON_CRAWLED_PAGES = 218_714;
    /** Fixed-size tables: Archon's settings, prompts and pricing rows do not grow with the crawl. */
    public static final int SETTINGS = 40;
    public static final int PROMPTS = 6;
    public static final int LLM_PRICING = 24;

    public Scale {
        if (crawledPages < 0) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--rows must be 0 or more, got " + crawledPages);
        }
    }

    /** About 2,000 crawled pages: generated in seconds. */
    public static Scale small() {
        return ofRows(2_000);
    }

    /**
     * About 300 MB on disk (tables, TOAST and indexes): measured 299 MB and 33 s on embedded
     * PostgreSQL 15 with 2 cores. A crawled page takes ~14.6 KB with its real[] embedding, tsvector
     * and GIN indexes.
     */
    public static Scale medium() {
        return ofRows(20_500);
    }

    /**
     * The largest real installation: 218,714 crawled pages and ~6,400 rows elsewhere. Archon
     * reports ~1.3 GB; here, with a full 1536-float real[] embedding on 98% of the rows, expect
     * ~3 GB on disk (extrapolated from {@link #medium()}).
     */
    public static Scale archon() {
        return ofRows(ARCHON_CRAWLED_PAGES);
    }

    /** A scale with {@code crawledPages} crawled pages and the other tables in proportion. */
    public static Scale ofRows(int crawledPages) {
        double f = crawledPages / (double) ARCHON_CRAWLED_PAGES;
        return new Scale(crawledPages,
                scaled(45, f, 3), scaled(3_000, f, 10), scaled(2_500, f, 20),
                scaled(20, f, 2), scaled(420, f, 24), scaled(160, f, 10), scaled(60, f, 6),
                scaled(8, f, 2), scaled(60, f, 10));
    }

    /** "small", "medium" or "archon". */
    public static Scale named(String name) {
        return switch (name) {
            case "small" -> small();
            case "medium" -> medium();
            case "archon" -> archon();
            default -> throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    "unknown scale '" + name + "': use small, medium or archon");
        };
    }

    /** Each source is linked to up to two projects' worth of sources. */
    public int projectSources() {
        return projects * Math.min(2, sources);
    }

    /** The rows each table receives, in foreign-key (load) order. */
    public Map<String, Long> expectedRows() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("archon_settings", (long) SETTINGS);
        m.put("archon_sources", (long) sources);
        m.put("archon_projects", (long) projects);
        m.put("archon_migrations", (long) WorkspaceTables.MIGRATIONS.length);
        m.put("archon_prompts", (long) PROMPTS);
        m.put("archon_llm_pricing", (long) LLM_PRICING);
        m.put("archon_mcp_sessions", (long) mcpSessions);
        m.put("archon_page_metadata", (long) pageMetadata);
        m.put("archon_code_examples", (long) codeExamples);
        m.put("archon_tasks", (long) tasks);
        m.put("archon_project_sources", (long) projectSources());
        m.put("archon_mcp_requests", (long) mcpRequests);
        m.put("archon_crawled_pages", (long) crawledPages);
        m.put("archon_task_history", (long) taskHistory);
        m.put("archon_document_versions", (long) documentVersions);
        return m;
    }

    private static int scaled(int atArchon, double f, int floor) {
        return Math.max(floor, (int) Math.round(atArchon * f));
    }
}
