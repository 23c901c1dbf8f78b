package dev.archon.sync.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.db.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo schema, generator and fixture against a real embedded PostgreSQL 15. */
class ArchonDatasetTest {
    private static EmbeddedPostgres pg;
    private static DatasetStats firstStats;

    @BeforeAll
    static void startServerAndGenerateTwice() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        try (Connection admin = connect("postgres")) {
            for (String db : List.of("gen_a", "gen_b", "gen_other", "schema_twice", "fixture")) {
                Sql.execute(admin, "CREATE DATABASE " + db);
            }
        }
        for (String db : List.of("gen_a", "gen_b")) {
            try (Connection c = connect(db)) {
                ArchonDataset.createSchema(c);
                DatasetStats stats = ArchonDataset.generate(c, Scale.small(), 42L);
                if (firstStats == null) {
                    firstStats = stats;
                }
            }
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void schemaCreatesEveryArchonTableAndCanRunTwice() throws SQLException {
        try (Connection c = connect("schema_twice")) {
            ArchonDataset.createSchema(c);
            ArchonDataset.createSchema(c);
            List<String> tables = Sql.queryStrings(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
            List<String> expected = new ArrayList<>(Scale.small().expectedRows().keySet());
            Collections.sort(expected);
            assertEquals(expected, tables);
            assertEquals("{todo,doing,review,done}", Sql.queryString(c, "SELECT enum_range(NULL::task_status)::text"));
            assertEquals("{low,medium,high,critical}", Sql.queryString(c, "SELECT enum_range(NULL::task_priority)::text"));
            assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'archon_sync_history'"));
            assertTrue(Sql.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'archon_tasks'::regclass AND NOT tgisinternal)"));
        }
    }

    /**
     * The secondary indexes Archon's migration/complete_setup.sql creates on the tables archon-sync
     * copies, except its 8 ivfflat vector indexes (pgvector is absent here).
     */
    private static final List<String> ARCHON_SECONDARY_INDEXES = List.of(
            "idx_archon_settings_key", "idx_archon_settings_category",
            "idx_archon_sources_title", "idx_archon_sources_url", "idx_archon_sources_display_name",
            "idx_archon_sources_metadata", "idx_archon_sources_knowledge_type",
            "idx_archon_crawled_pages_metadata", "idx_archon_crawled_pages_source_id",
            "idx_archon_crawled_pages_content_search", "idx_archon_crawled_pages_content_trgm",
            "idx_archon_crawled_pages_embedding_model", "idx_archon_crawled_pages_embedding_dimension",
            "idx_archon_crawled_pages_llm_chat_model", "idx_archon_crawled_pages_page_id",
            "idx_archon_code_examples_metadata", "idx_archon_code_examples_source_id",
            "idx_archon_code_examples_content_search", "idx_archon_code_examples_content_trgm",
            "idx_archon_code_examples_summary_trgm", "idx_archon_code_examples_embedding_model",
            "idx_archon_code_examples_embedding_dimension", "idx_archon_code_examples_llm_chat_model",
            "idx_archon_page_metadata_source_id", "idx_archon_page_metadata_url", "idx_archon_page_metadata_section",
            "idx_archon_page_metadata_created_at", "idx_archon_page_metadata_metadata",
            "idx_archon_tasks_project_id", "idx_archon_tasks_status", "idx_archon_tasks_assignee", "idx_archon_tasks_order",
            "idx_archon_tasks_priority", "idx_archon_tasks_archived", "idx_archon_tasks_archived_at",
            "idx_archon_project_sources_project_id", "idx_archon_project_sources_source_id",
            "idx_archon_document_versions_project_id", "idx_archon_document_versions_task_id",
            "idx_archon_document_versions_field_name", "idx_archon_document_versions_version_number",
            "idx_archon_document_versions_created_at", "idx_archon_prompts_name");

    /** Tables of complete_setup.sql with their primary key and unique constraints (one index each). */
    private static final Map<String, Integer> ARCHON_KEY_INDEXES = Map.of(
            "archon_settings", 2, "archon_sources", 1, "archon_crawled_pages", 2, "archon_code_examples", 2,
            "archon_page_metadata", 2, "archon_projects", 1, "archon_tasks", 1, "archon_project_sources", 2,
            "archon_document_versions", 2, "archon_prompts", 2);

    @Test
    void schemaCarriesArchonsNonVectorIndexSet() throws SQLException {
        try (Connection c = connect("schema_twice")) {
            ArchonDataset.createSchema(c);
            List<String> present = Sql.queryStrings(c, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'");
            for (String index : ARCHON_SECONDARY_INDEXES) {
                assertTrue(present.contains(index), "missing " + index);
            }
            for (Map.Entry<String, Integer> e : ARCHON_KEY_INDEXES.entrySet()) {
                assertEquals(e.getValue().longValue(), Sql.queryLong(c, "SELECT count(*) FROM pg_constraint"
                        + " WHERE conrelid = ?::regclass AND contype IN ('p', 'u')", e.getKey()), e.getKey());
            }
            assertEquals("gin", Sql.queryString(c, "SELECT am.amname FROM pg_class i JOIN pg_am am ON am.oid = i.relam"
                    + " WHERE i.relname = 'idx_archon_crawled_pages_content_trgm'"));
        }
    }

    @Test
    void smallScaleWritesTheExpectedRowCounts() throws SQLException {
        Map<String, Long> expected = Scale.small().expectedRows();
        assertEquals(expected, firstStats.rowsPerTable());
        assertEquals(2_000L, expected.get("archon_crawled_pages"));
        try (Connection c = connect("gen_a")) {
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                assertEquals(e.getValue(), Sql.queryLong(c, "SELECT count(*) FROM " + e.getKey()), e.getKey());
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalContentAndAnotherSeedDoesNot() throws SQLException {
        Map<String, String> a;
        Map<String, String> b;
        Map<String, String> other;
        try (Connection c = connect("gen_a")) {
            a = digests(c);
        }
        try (Connection c = connect("gen_b")) {
            b = digests(c);
        }
        try (Connection c = connect("gen_other")) {
            ArchonDataset.createSchema(c);
            ArchonDataset.generate(c, Scale.small(), 43L);
            other = digests(c);
        }
        assertEquals(a, b);
        assertNotEquals(a.get("archon_crawled_pages"), other.get("archon_crawled_pages"));
        assertNotEquals(a.get("archon_tasks"), other.get("archon_tasks"));
    }

    @Test
    void generatedColumnsArePopulated() throws SQLException {
        try (Connection c = connect("gen_a")) {
            assertEquals(0, Sql.queryLong(c,
                    "SELECT count(*) FROM archon_crawled_pages WHERE content_search_vector IS NULL OR length(content_search_vector) = 0"));
            assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM archon_code_examples WHERE length(content_search_vector) = 0"));
            assertEquals(0, Sql.queryLong(c,
                    "SELECT count(*) FROM archon_mcp_requests WHERE total_tokens IS DISTINCT FROM prompt_tokens + completion_tokens"));
        }
    }

    @Test
    void rowsLookLikeArchonData() throws SQLException {
        try (Connection c = connect("gen_a")) {
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_tasks t JOIN archon_tasks p ON p.id = t.parent_task_id"
                    + " WHERE p.project_id = t.project_id") > 0, "sub-tasks referencing earlier tasks");
            assertEquals(4, Sql.queryLong(c, "SELECT count(DISTINCT status) FROM archon_tasks"));
            assertEquals(4, Sql.queryLong(c, "SELECT count(DISTINCT priority) FROM archon_tasks"));
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_tasks WHERE title LIKE '%日本 🚀%'") > 0);
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_settings WHERE encrypted_value LIKE 'sk-test-%'") > 0);
            assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages"
                    + " WHERE embedding_1536 IS NOT NULL AND array_length(embedding_1536, 1) <> 1536"));
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages WHERE embedding_1536 IS NULL") > 0);
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages WHERE page_id IS NULL") > 0);
            long avg = Sql.queryLong(c, "SELECT avg(length(content))::bigint FROM archon_crawled_pages");
            assertTrue(avg > 1_500 && avg < 4_000, "average content length " + avg);
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_code_examples WHERE content LIKE '%\\\\%' AND content LIKE E'%\\t%'") > 0);
        }
    }

    @Test
    void mutateChangesTasksPagesAndCodeExamples() throws SQLException {
        try (Connection admin = connect("postgres")) {
            Sql.execute(admin, "CREATE DATABASE mutated TEMPLATE gen_a");
        }
        try (Connection c = connect("mutated")) {
            long pages = Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages");
            long examples = Sql.queryLong(c, "SELECT count(*) FROM archon_code_examples");
            ArchonDataset.mutate(c, 7L, 20);
            assertEquals(pages - 5, Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages"));
            assertEquals(examples + 5, Sql.queryLong(c, "SELECT count(*) FROM archon_code_examples"));
            assertEquals(10, Sql.queryLong(c, "SELECT count(*) FROM archon_tasks WHERE title LIKE '%(edited)'"));
            assertEquals(10, Sql.queryLong(c, "SELECT count(*) FROM archon_tasks WHERE updated_at > now() - interval '1 hour'"),
                    "the updated_at trigger fired on edited tasks");
        }
    }

    @Test
    void changeTouchesTheFractionAndTwoPartitionsNeverMeet() throws SQLException {
        try (Connection admin = connect("postgres")) {
            for (String db : List.of("changed_all", "changed_p0", "changed_p1")) {
                Sql.execute(admin, "CREATE DATABASE " + db + " TEMPLATE gen_a");
            }
        }
        List<String> base;
        try (Connection c = connect("gen_a")) {
            base = Sql.queryStrings(c, "SELECT id::text FROM archon_crawled_pages");
        }
        try (Connection c = connect("changed_all")) {
            int touched = ArchonDataset.change(c, 5L, 0.01, -1);
            assertTrue(touched >= 20 && touched < 200, "rows touched: " + touched);
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages WHERE content LIKE '%(re-crawled)'"
                    + " AND id > ?", (long) base.size()) > 0, "chunks re-inserted under new ids");
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages WHERE metadata ->> 'recrawled' IS NOT NULL") > 0);
            assertTrue(Sql.queryLong(c, "SELECT count(*) FROM archon_task_history WHERE changed_by = 'User'") > 0);
        }
        List<List<String>> gone = new ArrayList<>();
        List<List<String>> updated = new ArrayList<>();
        for (String db : List.of("changed_p0", "changed_p1")) {
            try (Connection c = connect(db)) {
                ArchonDataset.change(c, db.endsWith("0") ? 11L : 12L, 0.01, db.endsWith("0") ? 0 : 1);
                List<String> left = Sql.queryStrings(c, "SELECT id::text FROM archon_crawled_pages");
                gone.add(base.stream().filter(id -> !left.contains(id)).toList());
                updated.add(Sql.queryStrings(c, "SELECT id::text FROM archon_crawled_pages WHERE metadata ->> 'recrawled' IS NOT NULL"
                        + " UNION ALL SELECT id::text FROM archon_tasks WHERE title LIKE '%(edited)'"));
            }
        }
        assertTrue(!gone.get(0).isEmpty() && !gone.get(1).isEmpty());
        assertTrue(Collections.disjoint(gone.get(0), gone.get(1)), "deleted keys of the two partitions");
        assertTrue(Collections.disjoint(updated.get(0), updated.get(1)), "updated keys of the two partitions");
        assertTrue(Collections.disjoint(gone.get(0), updated.get(1)) && Collections.disjoint(gone.get(1), updated.get(0)));
    }

    @Test
    void allTypesFixtureLoads() throws Exception {
        try (Connection c = connect("fixture")) {
            Sql.execute(c, resource("/fixtures/all_types.sql"));
            assertEquals(4, Sql.queryLong(c, "SELECT count(*) FROM archon_fixture_types"));
            assertEquals(4, Sql.queryLong(c, "SELECT count(*) FROM \"archon_MixedCase Table\""));
            assertEquals(1, Sql.queryLong(c, "SELECT count(*) FROM \"archon_MixedCase Table\" WHERE \"Weird \"\"Col\"\"\" IS NULL"));
            assertEquals(1, Sql.queryLong(c, "SELECT count(*) FROM archon_fixture_types WHERE any_numeric = 'NaN'"));
            assertEquals(5, Sql.queryLong(c, "SELECT count(*) FROM archon_fixture_tree"));
            assertEquals(2, Sql.queryLong(c, "SELECT count(*) FROM archon_fixture_cycle_a WHERE b_id IS NOT NULL"));
            assertEquals(1, Sql.queryLong(c, "SELECT count(*) FROM archon_fixture_types WHERE body_length IS NULL"));
        }
    }

    /** md5 of every row's text form, per table, in a content-defined order. */
    private static Map<String, String> digests(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String table : Scale.small().expectedRows().keySet()) {
            out.put(table, Sql.queryString(c,
                    "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM " + table + " t"));
        }
        return out;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ArchonDatasetTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(pg.getJdbcUrl("postgres", db));
    }
}
